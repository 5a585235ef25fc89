using System.Globalization;
using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Remediation.Intake.Alerts;

/// <summary>Alert receipts in the <c>alert-intake</c> container, one JSON blob per webhook call named by the day and the receipt id.</summary>
public sealed class BlobAlertReceipts(BlobServiceClient blobs) : IAlertReceipts
{
    public const string Container = "alert-intake";

    private readonly BlobContainerClient _receipts = blobs.GetBlobContainerClient(Container);
    private int _containerReady;

    public async Task WriteAsync(AlertReceipt receipt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        await EnsureContainerAsync(cancellationToken);
        await _receipts.GetBlobClient(NameOf(receipt.Id)).UploadAsync(
            new BinaryData(JsonSerializer.SerializeToUtf8Bytes(receipt)),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } },
            cancellationToken);
    }

    public async Task<AlertReceipt?> ReadAsync(string id, CancellationToken cancellationToken)
    {
        if (NameOf(id) is not { Length: > 0 } name || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.'))
        {
            return null;
        }

        try
        {
            BlobDownloadResult content = await _receipts.GetBlobClient(name).DownloadContentAsync(cancellationToken);
            return content.Content.ToObjectFromJson<AlertReceipt>();
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Receipt ids start with their UTC time (yyyyMMddTHHmmss…), so the day folder comes from the id itself.</summary>
    private static string NameOf(string id) =>
        id.Length >= 8 && DateTime.TryParseExact(id[..8], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTime day)
            ? $"{day:yyyy/MM/dd}/{id}.json"
            : "";

    private async Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _containerReady) == 0)
        {
            await _receipts.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            Volatile.Write(ref _containerReady, 1);
        }
    }
}
