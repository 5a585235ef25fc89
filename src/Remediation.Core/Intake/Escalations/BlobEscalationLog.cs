using Azure.Storage.Blobs;
using Remediation.Storage;

namespace Remediation.Intake.Escalations;

/// <summary>
/// Escalation entries as blobs <c>escalations/&lt;target&gt;/&lt;problem&gt;.json</c>, written conditionally, so that every
/// server process on the hub agrees on one escalation per problem. An unreadable entry reads as none, at its version.
/// </summary>
public sealed class BlobEscalationLog(BlobServiceClient blobs) : IEscalationLog
{
    public const string Container = "escalations";

    private readonly VersionedJsonBlobs<EscalationEntry> _entries = new(blobs, Container);

    public Task<(EscalationEntry? Entry, string? ETag)> ReadAsync(string target, string problem, CancellationToken cancellationToken) =>
        _entries.ReadAsync($"{target}/{problem}.json", cancellationToken);

    public Task<bool> TryWriteAsync(string target, string problem, EscalationEntry entry, string? etag, CancellationToken cancellationToken) =>
        _entries.TryWriteAsync($"{target}/{problem}.json", entry, etag, cancellationToken);
}
