namespace Remediation.Intake.Locks;

/// <summary>
/// The run holding a target: its instance, its procedure, the key that makes another request a duplicate of it
/// (same procedure, same service, same options), and when it took the lock.
/// </summary>
public sealed record TargetLockHolder(string InstanceId, string Procedure, string DuplicateKey, DateTime AcquiredUtc);
