namespace Remediation.Activities.Rollouts;

/// <summary>Which procedure on which target (and service) to estimate.</summary>
public sealed record RunEstimateRequest(string Target, string Procedure, string? Service);
