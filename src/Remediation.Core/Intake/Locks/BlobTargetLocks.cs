using Azure.Storage.Blobs;
using Remediation.Storage;

namespace Remediation.Intake.Locks;

/// <summary>
/// Target locks as blobs in the <c>run-locks</c> container: created with <c>If-None-Match: *</c> (atomic across
/// processes), removed with <c>If-Match</c> on the version read, so a lock another process re-took is never removed.
/// </summary>
public sealed class BlobTargetLocks(BlobServiceClient blobs) : ITargetLocks
{
    public const string Container = "run-locks";

    private readonly VersionedJsonBlobs<TargetLockHolder> _locks = new(blobs, Container);

    public async Task<TargetLockAttempt> TryAcquireAsync(string target, TargetLockHolder holder, CancellationToken cancellationToken)
    {
        if (await _locks.TryWriteAsync(NameOf(target), holder, etag: null, cancellationToken))
        {
            return TargetLockAttempt.Taken;
        }

        // Held: say by whom. It may vanish between the failed create and this read; the caller then retries.
        (TargetLockHolder? current, string? etag) = await ReadAsync(target, cancellationToken);
        return new TargetLockAttempt(false, current, etag);
    }

    public Task<bool> BreakAsync(string target, string etag, CancellationToken cancellationToken) =>
        _locks.TryDeleteAsync(NameOf(target), etag, cancellationToken);

    public async Task<bool> ReleaseAsync(string target, string instanceId, CancellationToken cancellationToken)
    {
        (TargetLockHolder? holder, string? etag) = await ReadAsync(target, cancellationToken);
        return holder is not null && etag is not null && holder.InstanceId == instanceId && await BreakAsync(target, etag, cancellationToken);
    }

    public async Task<TargetLockHolder?> HolderAsync(string target, CancellationToken cancellationToken) =>
        (await ReadAsync(target, cancellationToken)).Holder;

    private static string NameOf(string target) => target + ".json";

    private async Task<(TargetLockHolder? Holder, string? ETag)> ReadAsync(string target, CancellationToken cancellationToken)
    {
        (TargetLockHolder? holder, string? etag) = await _locks.ReadAsync(NameOf(target), cancellationToken);

        // Unreadable: treat as held by nobody known, so the caller can break it by its version.
        return etag is null ? (null, null) : (holder ?? new TargetLockHolder("", "", "", DateTime.MinValue), etag);
    }
}
