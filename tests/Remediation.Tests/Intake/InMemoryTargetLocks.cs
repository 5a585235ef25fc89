using System.Collections.Concurrent;
using Remediation.Intake.Locks;

namespace Remediation.Tests.Intake;

/// <summary>Target locks with the blob store's semantics (atomic create, conditional delete by version), for intake tests on the in-memory host.</summary>
internal sealed class InMemoryTargetLocks : ITargetLocks
{
    private readonly ConcurrentDictionary<string, (TargetLockHolder Holder, string ETag)> _locks = new(StringComparer.Ordinal);

    public Task<TargetLockAttempt> TryAcquireAsync(string target, TargetLockHolder holder, CancellationToken cancellationToken)
    {
        if (_locks.TryAdd(target, (holder, Guid.NewGuid().ToString("N"))))
        {
            return Task.FromResult(TargetLockAttempt.Taken);
        }

        return Task.FromResult(_locks.TryGetValue(target, out var current)
            ? new TargetLockAttempt(false, current.Holder, current.ETag)
            : new TargetLockAttempt(false, null, null));
    }

    public Task<bool> BreakAsync(string target, string etag, CancellationToken cancellationToken) =>
        Task.FromResult(_locks.TryGetValue(target, out var current) && current.ETag == etag && _locks.TryRemove(new KeyValuePair<string, (TargetLockHolder, string)>(target, current)));

    public Task<bool> ReleaseAsync(string target, string instanceId, CancellationToken cancellationToken) =>
        Task.FromResult(_locks.TryGetValue(target, out var current) && current.Holder.InstanceId == instanceId && _locks.TryRemove(new KeyValuePair<string, (TargetLockHolder, string)>(target, current)));

    public Task<TargetLockHolder?> HolderAsync(string target, CancellationToken cancellationToken) => Task.FromResult(HolderOf(target));

    public TargetLockHolder? HolderOf(string target) => _locks.TryGetValue(target, out var current) ? current.Holder : null;
}
