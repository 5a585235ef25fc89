using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

using Remediation.Runs;

namespace Remediation.Artifacts;

/// <summary>Files restart logs (markdown) and run records (JSON) in the <c>restart-logs</c> Blob container.</summary>
public sealed class BlobArtifactStore : IArtifactStore
{
    private readonly BlobContainerClient _restartLogs;
    private int _containerReady;

    public BlobArtifactStore(BlobServiceClient blobs)
    {
        _restartLogs = blobs.GetBlobContainerClient(ArtifactNames.RestartLogsContainer);
    }

    public async Task<ArtifactLinks> WriteRestartLogAsync(RunRecord record, CancellationToken cancellationToken)
    {
        await EnsureContainerAsync(cancellationToken);
        BlobClient markdown = _restartLogs.GetBlobClient(ArtifactNames.RestartLog(record));
        BlobClient json = _restartLogs.GetBlobClient(ArtifactNames.Record(record));
        var links = new ArtifactLinks(markdown.Uri.ToString(), json.Uri.ToString());
        record = record with { Artifacts = [.. record.Artifacts, .. links.AsArtifacts()] };

        await UploadAsync(json, JsonSerializer.SerializeToUtf8Bytes(record, RecordJson.Options), "application/json", cancellationToken);
        await UploadAsync(markdown, Encoding.UTF8.GetBytes(RestartLogRenderer.Render(record)), "text/markdown; charset=utf-8", cancellationToken);
        return links;
    }

    public async Task<string?> ReadAsync(string link, CancellationToken cancellationToken)
    {
        // Only links into our own container are read: a run's custom status is data, not a licence to fetch any URL.
        string prefix = _restartLogs.Uri.AbsoluteUri.TrimEnd('/') + "/";
        if (!link.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }

        BlobClient blob = _restartLogs.GetBlobClient(Uri.UnescapeDataString(link[prefix.Length..]));
        try
        {
            BlobDownloadResult content = await blob.DownloadContentAsync(cancellationToken);
            return content.Content.ToString();
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    private static async Task UploadAsync(BlobClient blob, byte[] content, string contentType, CancellationToken cancellationToken) =>
        await blob.UploadAsync(
            new BinaryData(content),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = contentType } },
            cancellationToken);

    private async Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _containerReady) == 0)
        {
            await _restartLogs.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            Volatile.Write(ref _containerReady, 1);
        }
    }
}
