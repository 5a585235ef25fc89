using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Remediation.Artifacts;

namespace Remediation.Tests.EndToEnd;

/// <summary>Reads what runs filed in the restart-logs container of the storage account the fixture runs (Azurite).</summary>
internal sealed class RestartLogBlobs
{
    private readonly BlobContainerClient _container;

    public RestartLogBlobs(string connectionString)
    {
        _container = new BlobServiceClient(connectionString).GetBlobContainerClient(ArtifactNames.RestartLogsContainer);
    }

    /// <summary>Every blob whose name mentions the run, e.g. its .md and .json.</summary>
    public async Task<IReadOnlyList<string>> ListForRunAsync(string instanceId)
    {
        var names = new List<string>();
        if (!await _container.ExistsAsync())
        {
            return names;
        }

        await foreach (BlobItem blob in _container.GetBlobsAsync())
        {
            if (blob.Name.Contains(instanceId, StringComparison.Ordinal))
            {
                names.Add(blob.Name);
            }
        }

        return names;
    }

    /// <summary>The text of a blob given the URL the run reported.</summary>
    public async Task<string> ReadAsync(string url)
    {
        string marker = "/" + ArtifactNames.RestartLogsContainer + "/";
        string name = Uri.UnescapeDataString(url[(url.IndexOf(marker, StringComparison.Ordinal) + marker.Length)..]);
        BlobDownloadResult content = await _container.GetBlobClient(name).DownloadContentAsync();
        return content.Content.ToString();
    }
}
