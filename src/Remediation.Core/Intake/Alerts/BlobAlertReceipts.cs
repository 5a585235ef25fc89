using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Remediation.Intake.Alerts;

/// <summary>
/// Alert receipts in the <c>alert-intake</c> container. Receipts of concurrent webhook calls are filed together, one
/// JSON array per batch named by the day and the batch id; a receipt's id is <c>&lt;batch&gt;.&lt;index&gt;</c>.
/// </summary>
public sealed partial class BlobAlertReceipts : IAlertReceipts
{
    public const string Container = "alert-intake";

    /// <summary>Keeps a batch blob small (receipts are a few hundred bytes to a few KiB each).</summary>
    private const int MaxBatch = 256;

    private readonly BlobContainerClient _receipts;
    private readonly GroupCommit<PendingReceipt, AlertReceipt> _batches;
    private readonly TimeProvider _time;
    private int _containerReady;

    public BlobAlertReceipts(BlobServiceClient blobs, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        _receipts = blobs.GetBlobContainerClient(Container);
        _time = time;
        _batches = new GroupCommit<PendingReceipt, AlertReceipt>(WriteBatchAsync, MaxBatch);
    }

    public Task<AlertReceipt> FileAsync(string source, DateTime receivedUtc, IReadOnlyList<AlertOutcome> alerts) =>
        _batches.AddAsync(new PendingReceipt(source, receivedUtc, alerts));

    public async Task<AlertReceipt?> ReadAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        Match parts = ReceiptId().Match(id);
        if (!parts.Success || BlobNameOf(parts.Groups["batch"].Value) is not { Length: > 0 } name)
        {
            return null;
        }

        try
        {
            BlobDownloadResult content = await _receipts.GetBlobClient(name).DownloadContentAsync(cancellationToken);
            AlertReceipt[] batch = content.Content.ToObjectFromJson<AlertReceipt[]>() ?? [];
            return batch.FirstOrDefault(r => r.Id == id);
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    private async Task<IReadOnlyList<AlertReceipt>> WriteBatchAsync(IReadOnlyList<PendingReceipt> pending)
    {
        // The batch id starts with its UTC time, so the day folder and the order of batches come from the id itself.
        string batch = _time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture)
            + "-" + Convert.ToHexStringLower(BitConverter.GetBytes(Random.Shared.Next()));
        AlertReceipt[] receipts = [.. pending.Select((p, i) => new AlertReceipt($"{batch}.{i.ToString(CultureInfo.InvariantCulture)}", p.Source, p.ReceivedUtc, p.Alerts))];
        await EnsureContainerAsync();
        await _receipts.GetBlobClient(BlobNameOf(batch)).UploadAsync(
            new BinaryData(JsonSerializer.SerializeToUtf8Bytes(receipts)),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } },
            CancellationToken.None);
        return receipts;
    }

    private static string BlobNameOf(string batch) =>
        DateTime.TryParseExact(batch[..8], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTime day)
            ? $"{day:yyyy/MM/dd}/{batch}.json"
            : "";

    private async Task EnsureContainerAsync()
    {
        if (Volatile.Read(ref _containerReady) == 0)
        {
            await _receipts.CreateIfNotExistsAsync();
            Volatile.Write(ref _containerReady, 1);
        }
    }

    [GeneratedRegex(@"^(?<batch>[0-9]{8}T[0-9]{9}Z-[0-9a-f]{8})\.[0-9]{1,3}$")]
    private static partial Regex ReceiptId();

    private sealed record PendingReceipt(string Source, DateTime ReceivedUtc, IReadOnlyList<AlertOutcome> Alerts);
}
