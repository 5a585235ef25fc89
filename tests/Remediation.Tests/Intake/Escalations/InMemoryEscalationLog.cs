using Remediation.Intake.Escalations;

namespace Remediation.Tests.Intake.Escalations;

/// <summary>Escalation entries with the blob log's semantics (create only if absent, replace only at the version read).</summary>
internal sealed class InMemoryEscalationLog : IEscalationLog
{
    private readonly InMemoryVersionedDocuments<EscalationEntry> _entries = new();

    public Task<(EscalationEntry? Entry, string? ETag)> ReadAsync(string target, string problem, CancellationToken cancellationToken) =>
        _entries.ReadAsync(target + "/" + problem);

    public Task<bool> TryWriteAsync(string target, string problem, EscalationEntry entry, string? etag, CancellationToken cancellationToken) =>
        _entries.TryWriteAsync(target + "/" + problem, entry, etag);

    public EscalationEntry? EntryOf(string target, string problem) => _entries.Get(target + "/" + problem);
}
