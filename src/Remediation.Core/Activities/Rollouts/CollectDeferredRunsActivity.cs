using Microsoft.DurableTask;
using Remediation.Schedules.Deferrals;

namespace Remediation.Activities.Rollouts;

/// <summary>Reads the runs a freeze deferred to this window occurrence, for every target of the rollout (read-only, so a retry is harmless).</summary>
public sealed class CollectDeferredRunsActivity : TaskActivity<DeferredRunsQuery, IReadOnlyList<DeferredRun>>
{
    private readonly IDeferredRuns _deferred;

    public CollectDeferredRunsActivity(IDeferredRuns deferred)
    {
        _deferred = deferred;
    }

    public override async Task<IReadOnlyList<DeferredRun>> RunAsync(TaskActivityContext context, DeferredRunsQuery input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var runs = new List<DeferredRun>();
        foreach (string target in input.Targets)
        {
            runs.AddRange(await _deferred.ListAsync(input.Occurrence, target, CancellationToken.None));
        }

        return runs;
    }
}
