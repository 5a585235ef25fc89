namespace Remediation.Intake.Locks;

/// <summary>
/// One state-changing run per target, across every server process on the task hub: the lock is created atomically
/// in storage, so of two processes asking at once exactly one gets it.
/// </summary>
public interface ITargetLocks
{
    /// <summary>Takes the target's lock for <paramref name="holder"/> unless another run holds it.</summary>
    Task<TargetLockAttempt> TryAcquireAsync(string target, TargetLockHolder holder, CancellationToken cancellationToken);

    /// <summary>Removes a stale lock, only if it is still the version that was judged stale; false when it changed meanwhile.</summary>
    Task<bool> BreakAsync(string target, string etag, CancellationToken cancellationToken);

    /// <summary>Releases the lock if <paramref name="instanceId"/> holds it; false when it did not.</summary>
    Task<bool> ReleaseAsync(string target, string instanceId, CancellationToken cancellationToken);

    /// <summary>The run holding the target now; null when it is free.</summary>
    Task<TargetLockHolder?> HolderAsync(string target, CancellationToken cancellationToken);
}
