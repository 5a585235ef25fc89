namespace Remediation.Schedules.Deferrals;

/// <summary>Durable store of deferred runs, keyed by window occurrence and target, so the occurrence's rollout finds them when it opens.</summary>
public interface IDeferredRuns
{
    /// <summary>Records the run; false when the same run (same <see cref="DeferredRun.Key"/>) already waits for that occurrence.</summary>
    Task<bool> AddAsync(DeferredRun run, CancellationToken cancellationToken);

    /// <summary>The runs waiting for <paramref name="occurrence"/> on <paramref name="target"/>, oldest first.</summary>
    Task<IReadOnlyList<DeferredRun>> ListAsync(WindowOccurrence occurrence, string target, CancellationToken cancellationToken);
}
