namespace Remediation.Activities;

/// <summary>Names one target; activities resolve it from the inventory.</summary>
public sealed record TargetRef(string Target);
