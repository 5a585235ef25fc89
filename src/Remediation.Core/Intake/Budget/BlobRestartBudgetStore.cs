using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Remediation.Intake.Budget;

/// <summary>
/// Ledgers as blobs <c>restart-budgets/&lt;target&gt;.json</c>, written with <c>If-Match</c> (or <c>If-None-Match: *</c> for the
/// first): every server process on the task hub reads and updates the same ledger, and it outlives any of them.
/// </summary>
public sealed class BlobRestartBudgetStore : IRestartBudgetStore
{
    public const string Container = "restart-budgets";

    private readonly BlobContainerClient _ledgers;
    private int _containerReady;

    public BlobRestartBudgetStore(BlobServiceClient blobs)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        _ledgers = blobs.GetBlobContainerClient(Container);
    }

    public async Task<(RestartBudgetLedger? Ledger, string? ETag)> ReadAsync(string target, CancellationToken cancellationToken)
    {
        await EnsureContainerAsync(cancellationToken);
        try
        {
            BlobDownloadResult content = await _ledgers.GetBlobClient(target + ".json").DownloadContentAsync(cancellationToken);
            RestartBudgetLedger? ledger;
            try
            {
                ledger = content.Content.ToObjectFromJson<RestartBudgetLedger>();
            }
            catch (JsonException)
            {
                // Unreadable: start afresh, but only over this very version.
                ledger = new RestartBudgetLedger();
            }

            return (ledger ?? new RestartBudgetLedger(), content.Details.ETag.ToString());
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return (null, null);
        }
    }

    public async Task<bool> TryWriteAsync(string target, RestartBudgetLedger ledger, string? etag, CancellationToken cancellationToken)
    {
        await EnsureContainerAsync(cancellationToken);
        try
        {
            await _ledgers.GetBlobClient(target + ".json").UploadAsync(
                new BinaryData(JsonSerializer.SerializeToUtf8Bytes(ledger)),
                new BlobUploadOptions { Conditions = etag is null ? new BlobRequestConditions { IfNoneMatch = ETag.All } : new BlobRequestConditions { IfMatch = new ETag(etag) } },
                cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return false;
        }
    }

    private async Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _containerReady) == 0)
        {
            await _ledgers.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            Volatile.Write(ref _containerReady, 1);
        }
    }
}
