using Microsoft.DurableTask;
using Remediation.Runs;
using Remediation.Runs.Plans;

namespace Remediation.Procedures;

/// <summary>
/// The Pre-Restart Checklist's decision before anything is changed: a dry run stops at its plan, blockers (active users,
/// due crons, long queries) defer the run unless forced, and the approval step runs when the policy asks for it.
/// </summary>
public static class PolicyGate
{
    /// <summary>
    /// The filed record of a run that must change nothing (dry run, deferred, not approved), or null when it may go on.
    /// <paramref name="firstChange"/> names the step a stop skips, <paramref name="action"/> what a real run would do, and
    /// <paramref name="whenDeferred"/> what the operator should do about the blockers.
    /// </summary>
    public static async Task<RunRecord?> StopsAsync(
        TaskOrchestrationContext context, Run run, IRunRequest input, RunPlan steps, IReadOnlyList<string> blockers, string firstChange, string action, string whenDeferred)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(blockers);
        if (input.DryRun)
        {
            string plan = WorkloadGate.Plan(blockers, input.Force, action) + WorkloadGate.ApprovalNote(input, blockers);
            run.Journal.Skip(firstChange, "dry run: " + plan);
            return await run.FileAsync(run.DryRun(plan, $"Run again without dryRun to {action}"));
        }

        if (blockers.Count > 0 && !input.Force)
        {
            run.Journal.Skip(firstChange, "deferred: " + string.Join("; ", blockers));
            return await run.FileAsync(run.Deferred(blockers, whenDeferred));
        }

        return await ApprovalGate.AwaitAsync(context, run, input, steps, blockers) is { } notApproved ? await run.FileAsync(notApproved) : null;
    }
}
