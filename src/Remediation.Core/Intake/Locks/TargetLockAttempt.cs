namespace Remediation.Intake.Locks;

/// <summary>The answer to a lock request: taken, or held by <see cref="Holder"/> (whose <see cref="ETag"/> allows breaking it once it is stale).</summary>
public sealed record TargetLockAttempt(bool Acquired, TargetLockHolder? Holder, string? ETag)
{
    public static TargetLockAttempt Taken { get; } = new(true, null, null);
}
