using System.Collections.Concurrent;
using System.Text.Json;
using Remediation.Artifacts;
using Remediation.Runs;

namespace Remediation.Tests.Procedures;

/// <summary>Files restart logs in memory, under the blob store's deterministic names, and keeps every record it was given.</summary>
internal sealed class InMemoryArtifactStore : IArtifactStore
{
    private readonly ConcurrentQueue<RunRecord> _filed = new();
    private readonly ConcurrentDictionary<string, string> _texts = new(StringComparer.Ordinal);

    /// <summary>Every record filed, in order (a retried write shows up twice).</summary>
    public IReadOnlyList<RunRecord> Filed => [.. _filed];

    public Task<ArtifactLinks> WriteRestartLogAsync(RunRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        _filed.Enqueue(record);
        var links = new ArtifactLinks($"memory://restart-logs/{ArtifactNames.RestartLog(record)}", $"memory://restart-logs/{ArtifactNames.Record(record)}");
        _texts[links.RestartLog] = RestartLogRenderer.Render(record);
        _texts[links.Record] = JsonSerializer.Serialize(record, RecordJson.Options);
        return Task.FromResult(links);
    }

    public Task<string?> ReadAsync(string link, CancellationToken cancellationToken) =>
        Task.FromResult(_texts.GetValueOrDefault(link));

    /// <summary>The markdown restart log of the last record filed.</summary>
    public string LastRestartLog => RestartLogRenderer.Render(_filed.Last());
}
