using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Remediation.Schedules.Deferrals;

/// <summary>
/// Deferred runs as blobs <c>deferred-runs/&lt;window&gt;/&lt;occurrence&gt;/&lt;target&gt;/&lt;key&gt;.json</c>, created with
/// <c>If-None-Match: *</c>: of many alerts for the same run, across processes, the first is kept.
/// </summary>
public sealed class BlobDeferredRuns : IDeferredRuns
{
    public const string Container = "deferred-runs";

    private readonly BlobContainerClient _container;
    private int _containerReady;

    public BlobDeferredRuns(BlobServiceClient blobs)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        _container = blobs.GetBlobContainerClient(Container);
    }

    public async Task<bool> AddAsync(DeferredRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        await EnsureContainerAsync(cancellationToken);
        string key = new WindowOccurrence(run.Window, run.WindowStartUtc, run.WindowStartUtc, run.WindowStartUtc).Key;
        try
        {
            await _container.GetBlobClient($"{run.Window}/{key}/{run.Target}/{run.Key}.json").UploadAsync(
                new BinaryData(JsonSerializer.SerializeToUtf8Bytes(run)),
                new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } },
                cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return false;
        }
    }

    public async Task<IReadOnlyList<DeferredRun>> ListAsync(WindowOccurrence occurrence, string target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(occurrence);
        await EnsureContainerAsync(cancellationToken);
        var runs = new List<DeferredRun>();
        await foreach (BlobItem item in _container.GetBlobsAsync(new GetBlobsOptions { Prefix = $"{occurrence.Window}/{occurrence.Key}/{target}/" }, cancellationToken))
        {
            BlobDownloadResult content = await _container.GetBlobClient(item.Name).DownloadContentAsync(cancellationToken);
            if (content.Content.ToObjectFromJson<DeferredRun>() is { } run)
            {
                runs.Add(run);
            }
        }

        return [.. runs.OrderBy(r => r.DeferredAtUtc)];
    }

    private async Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _containerReady) == 0)
        {
            await _container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            Volatile.Write(ref _containerReady, 1);
        }
    }
}
