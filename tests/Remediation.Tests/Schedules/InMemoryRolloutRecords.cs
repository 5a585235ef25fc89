using System.Collections.Concurrent;
using Remediation.Artifacts;
using Remediation.Procedures.Rollout;

namespace Remediation.Tests.Schedules;

/// <summary>Rollout records in memory, with their rendered summaries, under the blob store's names.</summary>
internal sealed class InMemoryRolloutRecords : IRolloutRecords
{
    private readonly ConcurrentQueue<RolloutRecord> _filed = new();

    public IReadOnlyList<RolloutRecord> Filed => [.. _filed];

    public Task<ArtifactLinks> WriteAsync(RolloutRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        _filed.Enqueue(record);
        _ = RolloutSummaryRenderer.Render(record);
        return Task.FromResult(new ArtifactLinks($"memory://rollouts/{BlobRolloutRecords.NameOf(record, "md")}", $"memory://rollouts/{BlobRolloutRecords.NameOf(record, "json")}"));
    }
}
