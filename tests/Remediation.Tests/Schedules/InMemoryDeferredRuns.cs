using System.Collections.Concurrent;
using Remediation.Schedules;
using Remediation.Schedules.Deferrals;

namespace Remediation.Tests.Schedules;

/// <summary>Deferred runs in memory, keyed as the blob store keys them (occurrence, target, run key; the first one kept).</summary>
internal sealed class InMemoryDeferredRuns : IDeferredRuns
{
    private readonly ConcurrentDictionary<string, DeferredRun> _runs = new(StringComparer.Ordinal);

    public IReadOnlyList<DeferredRun> All => [.. _runs.Values];

    public Task<bool> AddAsync(DeferredRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        return Task.FromResult(_runs.TryAdd(KeyOf(run.Window, run.WindowStartUtc, run.Target, run.Key), run));
    }

    public Task<IReadOnlyList<DeferredRun>> ListAsync(WindowOccurrence occurrence, string target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(occurrence);
        string prefix = KeyOf(occurrence.Window, occurrence.StartUtc, target, "");
        return Task.FromResult<IReadOnlyList<DeferredRun>>([.. _runs.Where(r => r.Key.StartsWith(prefix, StringComparison.Ordinal)).Select(r => r.Value).OrderBy(r => r.DeferredAtUtc)]);
    }

    private static string KeyOf(string window, DateTime start, string target, string key) =>
        $"{window}/{new WindowOccurrence(window, start, start, start).Key}/{target}/{key}";
}
