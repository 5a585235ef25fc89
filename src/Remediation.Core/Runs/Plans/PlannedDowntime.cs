namespace Remediation.Runs.Plans;

/// <summary>The downtime a plan should cause: an upper bound in seconds (null when none is expected) and what it is derived from.</summary>
public sealed record PlannedDowntime(double? UpToSeconds, string Basis);
