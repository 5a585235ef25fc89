namespace Remediation.Procedures.Rollout;

/// <summary>The longest a procedure can take on a target, and how that figure was reached.</summary>
public sealed record RunEstimate(double Seconds, string Basis);
