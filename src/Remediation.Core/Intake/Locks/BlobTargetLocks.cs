using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Remediation.Intake.Locks;

/// <summary>
/// Target locks as blobs in the <c>run-locks</c> container: created with <c>If-None-Match: *</c> (atomic across
/// processes), removed with <c>If-Match</c> on the version read, so a lock another process re-took is never removed.
/// </summary>
public sealed class BlobTargetLocks : ITargetLocks
{
    public const string Container = "run-locks";

    private readonly BlobContainerClient _locks;
    private int _containerReady;

    public BlobTargetLocks(BlobServiceClient blobs)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        _locks = blobs.GetBlobContainerClient(Container);
    }

    public async Task<TargetLockAttempt> TryAcquireAsync(string target, TargetLockHolder holder, CancellationToken cancellationToken)
    {
        await EnsureContainerAsync(cancellationToken);
        BlobClient blob = BlobOf(target);
        try
        {
            await blob.UploadAsync(
                new BinaryData(JsonSerializer.SerializeToUtf8Bytes(holder)),
                new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } },
                cancellationToken);
            return TargetLockAttempt.Taken;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // Held: say by whom. It may vanish between the failed create and this read; the caller then retries.
            (TargetLockHolder? current, string? etag) = await ReadAsync(blob, cancellationToken);
            return new TargetLockAttempt(false, current, etag);
        }
    }

    public async Task<bool> BreakAsync(string target, string etag, CancellationToken cancellationToken)
    {
        try
        {
            await BlobOf(target).DeleteAsync(DeleteSnapshotsOption.IncludeSnapshots, new BlobRequestConditions { IfMatch = new ETag(etag) }, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return false;
        }
    }

    public async Task<bool> ReleaseAsync(string target, string instanceId, CancellationToken cancellationToken)
    {
        await EnsureContainerAsync(cancellationToken);
        (TargetLockHolder? holder, string? etag) = await ReadAsync(BlobOf(target), cancellationToken);
        return holder is not null && etag is not null && holder.InstanceId == instanceId && await BreakAsync(target, etag, cancellationToken);
    }

    public async Task<TargetLockHolder?> HolderAsync(string target, CancellationToken cancellationToken)
    {
        await EnsureContainerAsync(cancellationToken);
        return (await ReadAsync(BlobOf(target), cancellationToken)).Holder;
    }

    private BlobClient BlobOf(string target) => _locks.GetBlobClient(target + ".json");

    private static async Task<(TargetLockHolder? Holder, string? ETag)> ReadAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        try
        {
            BlobDownloadResult content = await blob.DownloadContentAsync(cancellationToken);
            TargetLockHolder? holder;
            try
            {
                holder = content.Content.ToObjectFromJson<TargetLockHolder>();
            }
            catch (JsonException)
            {
                // Unreadable: treat as held by nobody known, so the caller can break it by its version.
                holder = new TargetLockHolder("", "", "", DateTime.MinValue);
            }

            return (holder, content.Details.ETag.ToString());
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return (null, null);
        }
    }

    private async Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _containerReady) == 0)
        {
            await _locks.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            Volatile.Write(ref _containerReady, 1);
        }
    }
}
