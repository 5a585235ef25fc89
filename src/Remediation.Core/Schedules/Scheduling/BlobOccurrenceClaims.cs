using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Remediation.Schedules.Scheduling;

/// <summary>Occurrence claims as blobs <c>schedule-claims/&lt;window&gt;/&lt;occurrence&gt;.json</c>, created with <c>If-None-Match: *</c>.</summary>
public sealed class BlobOccurrenceClaims : IOccurrenceClaims
{
    public const string Container = "schedule-claims";

    private readonly BlobContainerClient _container;
    private readonly TimeProvider _time;
    private int _containerReady;

    public BlobOccurrenceClaims(BlobServiceClient blobs, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        _container = blobs.GetBlobContainerClient(Container);
        _time = time;
    }

    public async Task<bool> TryClaimAsync(WindowOccurrence occurrence, string claimant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(occurrence);
        await EnsureContainerAsync(cancellationToken);
        try
        {
            await BlobOf(occurrence).UploadAsync(
                new BinaryData(JsonSerializer.SerializeToUtf8Bytes(new { occurrence.InstanceId, claimant, claimedUtc = _time.GetUtcNow().UtcDateTime })),
                new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } },
                cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return false;
        }
    }

    public async Task<bool> TryTakeOverAsync(WindowOccurrence occurrence, string claimant, TimeSpan olderThan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(occurrence);
        BlobClient blob = BlobOf(occurrence);
        try
        {
            // The claim's write time by the storage service against this process's clock: a skew of seconds is small beside the bound.
            BlobProperties claim = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken)).Value;
            if (_time.GetUtcNow() - claim.LastModified < olderThan)
            {
                return false;
            }

            await blob.UploadAsync(
                new BinaryData(JsonSerializer.SerializeToUtf8Bytes(new { occurrence.InstanceId, claimant, claimedUtc = _time.GetUtcNow().UtcDateTime, tookOverFrom = claim.LastModified.UtcDateTime })),
                new BlobUploadOptions { Conditions = new BlobRequestConditions { IfMatch = claim.ETag } },
                cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 409 or 412)
        {
            // Released meanwhile (the next tick claims it afresh) or taken over by another process first.
            return false;
        }
    }

    public async Task ReleaseAsync(WindowOccurrence occurrence, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(occurrence);
        await BlobOf(occurrence).DeleteIfExistsAsync(cancellationToken: cancellationToken);
    }

    private BlobClient BlobOf(WindowOccurrence occurrence) => _container.GetBlobClient($"{occurrence.Window}/{occurrence.Key}.json");

    private async Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _containerReady) == 0)
        {
            await _container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            Volatile.Write(ref _containerReady, 1);
        }
    }
}
