using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Remediation.Storage;

/// <summary>
/// JSON documents in one blob container, each read with its version (ETag) and written with <c>If-Match</c> (or
/// <c>If-None-Match: *</c> for the first): optimistic concurrency between every server process on the storage account.
/// </summary>
public sealed class VersionedJsonBlobs<T>
    where T : class
{
    private readonly BlobContainerClient _container;
    private int _containerReady;

    public VersionedJsonBlobs(BlobServiceClient blobs, string container)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        _container = blobs.GetBlobContainerClient(container);
    }

    /// <summary>The document and its version; (null, null) when there is none, (null, version) when it cannot be read, so that a caller may replace it at exactly that version.</summary>
    public async Task<(T? Document, string? ETag)> ReadAsync(string name, CancellationToken cancellationToken)
    {
        await EnsureContainerAsync(cancellationToken);
        try
        {
            BlobDownloadResult content = await _container.GetBlobClient(name).DownloadContentAsync(cancellationToken);
            T? document;
            try
            {
                document = content.Content.ToObjectFromJson<T>();
            }
            catch (JsonException)
            {
                document = null;
            }

            return (document, content.Details.ETag.ToString());
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return (null, null);
        }
    }

    /// <summary>Writes the document if it is still at <paramref name="etag"/> (null: only if none exists); false when another writer came first.</summary>
    public async Task<bool> TryWriteAsync(string name, T document, string? etag, CancellationToken cancellationToken)
    {
        await EnsureContainerAsync(cancellationToken);
        try
        {
            await _container.GetBlobClient(name).UploadAsync(
                new BinaryData(JsonSerializer.SerializeToUtf8Bytes(document)),
                new BlobUploadOptions { Conditions = etag is null ? new BlobRequestConditions { IfNoneMatch = ETag.All } : new BlobRequestConditions { IfMatch = new ETag(etag) } },
                cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return false;
        }
    }

    /// <summary>Removes the document if it is still at <paramref name="etag"/>; false when it is gone or another writer came first.</summary>
    public async Task<bool> TryDeleteAsync(string name, string etag, CancellationToken cancellationToken)
    {
        try
        {
            await _container.GetBlobClient(name).DeleteAsync(DeleteSnapshotsOption.IncludeSnapshots, new BlobRequestConditions { IfMatch = new ETag(etag) }, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return false;
        }
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
