using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Remediation.Intake.Escalations;

/// <summary>
/// Escalation entries as blobs <c>escalations/&lt;target&gt;/&lt;problem&gt;.json</c>, written with <c>If-Match</c> (or
/// <c>If-None-Match: *</c> for the first), so that every server process on the hub agrees on one escalation per problem.
/// </summary>
public sealed class BlobEscalationLog : IEscalationLog
{
    public const string Container = "escalations";

    private readonly BlobContainerClient _container;
    private int _containerReady;

    public BlobEscalationLog(BlobServiceClient blobs)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        _container = blobs.GetBlobContainerClient(Container);
    }

    public async Task<(EscalationEntry? Entry, string? ETag)> ReadAsync(string target, string problem, CancellationToken cancellationToken)
    {
        await EnsureContainerAsync(cancellationToken);
        try
        {
            BlobDownloadResult content = await Blob(target, problem).DownloadContentAsync(cancellationToken);
            EscalationEntry? entry;
            try
            {
                entry = content.Content.ToObjectFromJson<EscalationEntry>();
            }
            catch (JsonException)
            {
                entry = null;   // unreadable: a new escalation replaces it, at this very version
            }

            return (entry, content.Details.ETag.ToString());
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return (null, null);
        }
    }

    public async Task<bool> TryWriteAsync(string target, string problem, EscalationEntry entry, string? etag, CancellationToken cancellationToken)
    {
        await EnsureContainerAsync(cancellationToken);
        try
        {
            await Blob(target, problem).UploadAsync(
                new BinaryData(JsonSerializer.SerializeToUtf8Bytes(entry)),
                new BlobUploadOptions { Conditions = etag is null ? new BlobRequestConditions { IfNoneMatch = ETag.All } : new BlobRequestConditions { IfMatch = new ETag(etag) } },
                cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return false;
        }
    }

    private BlobClient Blob(string target, string problem) => _container.GetBlobClient($"{target}/{problem}.json");

    private async Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _containerReady) == 0)
        {
            await _container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            Volatile.Write(ref _containerReady, 1);
        }
    }
}
