namespace Remediation.Activities.Rollouts;

/// <summary>Where a remediation stands: still going, or ended with its outcome (from its record) and resolution.</summary>
public sealed record RunState(bool Finished, string RuntimeStatus, string? Outcome, string? Resolution);
