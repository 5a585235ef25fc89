namespace Remediation.Activities.Runs;

/// <summary>Release the target's lock if <paramref name="InstanceId"/> still holds it.</summary>
public sealed record TargetLockRelease(string Target, string InstanceId);
