using System.Globalization;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Remediation.Procedures.Rollout;

namespace Remediation.Artifacts;

/// <summary>Rollout records in the <c>rollouts</c> Blob container: <c>yyyy/MM/dd/&lt;id&gt;.json</c> and <c>.md</c>.</summary>
public sealed class BlobRolloutRecords : IRolloutRecords
{
    public const string Container = "rollouts";

    private readonly BlobContainerClient _container;
    private int _containerReady;

    public BlobRolloutRecords(BlobServiceClient blobs)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        _container = blobs.GetBlobContainerClient(Container);
    }

    public static string NameOf(RolloutRecord record, string extension)
    {
        ArgumentNullException.ThrowIfNull(record);
        return $"{record.StartedUtc.ToString("yyyy/MM/dd", CultureInfo.InvariantCulture)}/{record.InstanceId}.{extension}";
    }

    public async Task<ArtifactLinks> WriteAsync(RolloutRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (Volatile.Read(ref _containerReady) == 0)
        {
            await _container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            Volatile.Write(ref _containerReady, 1);
        }

        BlobClient json = _container.GetBlobClient(NameOf(record, "json"));
        BlobClient markdown = _container.GetBlobClient(NameOf(record, "md"));
        await json.UploadAsync(
            new BinaryData(JsonSerializer.SerializeToUtf8Bytes(record, RecordJson.Options)),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } },
            cancellationToken);
        await markdown.UploadAsync(
            new BinaryData(Encoding.UTF8.GetBytes(RolloutSummaryRenderer.Render(record))),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "text/markdown; charset=utf-8" } },
            cancellationToken);
        return new ArtifactLinks(markdown.Uri.ToString(), json.Uri.ToString());
    }
}
