namespace Remediation.Activities;

/// <summary>Names one service of one target; activities resolve both from the inventory.</summary>
public sealed record ServiceRef(string Target, string Service);
