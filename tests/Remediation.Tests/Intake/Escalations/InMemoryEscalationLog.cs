using System.Collections.Concurrent;
using Remediation.Intake.Escalations;

namespace Remediation.Tests.Intake.Escalations;

/// <summary>Escalation entries with the blob log's semantics (create only if absent, replace only at the version read).</summary>
internal sealed class InMemoryEscalationLog : IEscalationLog
{
    private readonly ConcurrentDictionary<string, (EscalationEntry Entry, string ETag)> _entries = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public Task<(EscalationEntry? Entry, string? ETag)> ReadAsync(string target, string problem, CancellationToken cancellationToken) =>
        Task.FromResult(_entries.TryGetValue(target + "/" + problem, out var e) ? ((EscalationEntry?)e.Entry, (string?)e.ETag) : (null, null));

    public Task<bool> TryWriteAsync(string target, string problem, EscalationEntry entry, string? etag, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            bool exists = _entries.TryGetValue(target + "/" + problem, out var current);
            if ((etag is null && exists) || (etag is not null && (!exists || current.ETag != etag)))
            {
                return Task.FromResult(false);
            }

            _entries[target + "/" + problem] = (entry, Guid.NewGuid().ToString("N"));
            return Task.FromResult(true);
        }
    }

    public EscalationEntry? EntryOf(string target, string problem) => _entries.TryGetValue(target + "/" + problem, out var e) ? e.Entry : null;
}
