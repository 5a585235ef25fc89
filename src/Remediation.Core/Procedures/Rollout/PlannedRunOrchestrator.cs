using System.Globalization;
using Microsoft.DurableTask;
using Remediation.Activities;
using Remediation.Activities.Database;
using Remediation.Activities.Rollouts;
using Remediation.Activities.Services;
using Remediation.Intake;
using Remediation.Inventory;
using Remediation.Runs;
using Remediation.Schedules.Deferrals;

namespace Remediation.Procedures.Rollout;

/// <summary>
/// One target of a rollout, by the runbook's Pre-Restart Checklist: users were notified (by the rollout), check the current
/// system status, verify no critical operation is in progress, then the procedure — started through the intake, so it takes
/// the target's lock like any other run — and after it the runs a freeze deferred to this window. Nothing starts that could
/// still be running when the window ends.
/// </summary>
public sealed class PlannedRunOrchestrator : TaskOrchestrator<PlannedRunRequest, PlannedRunResult>
{
    public override async Task<PlannedRunResult> RunAsync(TaskOrchestrationContext context, PlannedRunRequest input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var checklist = new List<StepRecord>();
        var remediations = new List<PlannedRemediation>();
        DateTime started = context.CurrentUtcDateTime;
        PlannedRunResult End(PlannedRunOutcome outcome, string reason) => new()
        {
            Target = input.Target,
            Outcome = outcome,
            Reason = reason,
            StartedUtc = started,
            FinishedUtc = context.CurrentUtcDateTime,
            Checklist = checklist,
            Remediations = remediations,
        };

        void Step(string name, StepStatus status, DateTime from, string summary, IReadOnlyList<string>? details = null) =>
            checklist.Add(new StepRecord { Name = name, Status = status, StartedUtc = from, FinishedUtc = context.CurrentUtcDateTime, Summary = summary, Details = details ?? [] });

        Step("Notify users of impending restart", input.NoticeSentUtc is null ? StepStatus.Skipped : StepStatus.Succeeded, input.NoticeSentUtc ?? started,
            input.NoticeSentUtc is { } sent ? string.Create(CultureInfo.InvariantCulture, $"notice delivered at {sent:yyyy-MM-dd HH:mm:ss} UTC") : "no notice configured for this rollout");

        // Check current system status.
        DateTime from = context.CurrentUtcDateTime;
        StackInspection stack;
        try
        {
            stack = await context.CallActivityAsync<StackInspection>(nameof(InspectStackActivity), new TargetRef(input.Target), TargetRetry.Options);
        }
        catch (TaskFailedException e)
        {
            string why = e.FailureDetails.ErrorMessage;
            Step("Check current system status", StepStatus.Failed, from, why);
            return End(PlannedRunOutcome.Failed, $"status check failed: {why}");
        }

        Step("Check current system status", StepStatus.Succeeded, from, string.Join(", ", stack.Statuses), [.. stack.Statuses.Select(s => $"status: {s} ({s.Status.Detail})")]);

        // Verify no critical operations in progress: the Odoo workload (running and due cron jobs, active users).
        from = context.CurrentUtcDateTime;
        var blockers = new List<string>();
        var evidence = new List<string>();
        foreach (StackService odoo in stack.Services.Where(s => s.Kind == ServiceKind.Odoo))
        {
            try
            {
                WorkloadReport workload = await context.CallActivityAsync<WorkloadReport>(nameof(CheckWorkloadActivity), new ServiceRef(input.Target, odoo.Name));
                blockers.AddRange(workload.Blockers());
                evidence.Add($"{odoo.Name}: {workload.Summary}");
            }
            catch (TaskFailedException e)
            {
                blockers.Add($"{odoo.Name}: the workload could not be checked ({e.FailureDetails.ErrorMessage})");
            }
        }

        if (blockers.Count > 0 && !input.Force)
        {
            Step("Verify no critical operations in progress", StepStatus.Failed, from, "blocked: " + string.Join("; ", blockers), evidence);
            return End(PlannedRunOutcome.NotStarted, "critical operations in progress: " + string.Join("; ", blockers));
        }

        Step("Verify no critical operations in progress", StepStatus.Succeeded, from,
            blockers.Count > 0 ? "went ahead past: " + string.Join("; ", blockers) + " (force)" : evidence.Count > 0 ? string.Join("; ", evidence) : "no Odoo workload on this target",
            evidence);

        // The window's procedure, then the deferred runs it does not already cover.
        var planned = new List<(string Procedure, string? Service, string? Mode, bool Deferred, string Reason, string RequestedBy, RunTrigger Trigger)>
        {
            (input.Procedure, input.Service, input.Mode, false, input.Reason, input.RequestedBy, input.Trigger),
        };
        foreach (DeferredRun deferred in input.Deferred.Where(d => d.Target == input.Target))
        {
            AutomaticRunRequest asked = deferred.Request;
            if (!planned.Exists(p => p.Procedure == asked.Procedure && p.Service == asked.Service && p.Mode == asked.Mode))
            {
                // Run by the window, kept traceable to the alert it was deferred from.
                planned.Add((asked.Procedure, asked.Service, asked.Mode, true, $"deferred by freeze '{deferred.Freeze}': {asked.Reason}", asked.RequestedBy,
                    input.Trigger with { SourceFingerprint = asked.SourceFingerprint }));
            }
        }

        string? failure = null;
        bool anyStarted = false;
        for (int n = 0; n < planned.Count; n++)
        {
            (string procedure, string? service, string? mode, bool isDeferred, string reason, string requestedBy, RunTrigger trigger) = planned[n];
            var remediation = new PlannedRemediation(procedure, service, mode) { Deferred = isDeferred };

            from = context.CurrentUtcDateTime;
            RunEstimate estimate = await context.CallActivityAsync<RunEstimate>(nameof(EstimateRunActivity), new RunEstimateRequest(input.Target, procedure, service));
            DateTime couldEnd = context.CurrentUtcDateTime.AddSeconds(estimate.Seconds);
            string fit = string.Create(CultureInfo.InvariantCulture, $"{procedure} takes at most {estimate.Seconds:0} s ({estimate.Basis})");
            if (input.WindowEndUtc is { } end && couldEnd > end)
            {
                string overrun = string.Create(CultureInfo.InvariantCulture, $"not started: {fit}, and the window ends at {end:HH:mm:ss} UTC, {(end - context.CurrentUtcDateTime).TotalSeconds:0} s from now");
                Step($"Fits the window: {procedure}", StepStatus.Failed, from, overrun);
                remediations.Add(remediation with { Outcome = "NotStarted", Resolution = overrun });
                failure ??= overrun;
                continue;
            }

            Step($"Fits the window: {procedure}", StepStatus.Succeeded, from, input.WindowEndUtc is { } until
                ? string.Create(CultureInfo.InvariantCulture, $"{fit}; ends by {couldEnd:HH:mm:ss}, window ends {until:HH:mm:ss} UTC")
                : $"{fit}; no window end");

            from = context.CurrentUtcDateTime;
            var request = new RemediationRequest
            {
                Target = input.Target, Procedure = procedure, Service = service, Mode = mode, Force = input.Force, Reason = reason, RequestedBy = requestedBy,
            };
            PlannedStartResult start = await context.CallActivityAsync<PlannedStartResult>(
                nameof(StartPlannedRemediationActivity), new PlannedStart($"{context.InstanceId}.{n}", request, trigger));
            if (!start.Accepted)
            {
                // A target busy with another run is a failure: the rollout cannot vouch for it, and busy targets during a
                // window usually mean an incident — exactly when a rollout should count it and stop early.
                string refused = start.ErrorStatus == 409 && start.RunningInstanceId is { } busy
                    ? $"target busy: remediation '{busy}' holds it ({start.Error})"
                    : $"the intake refused {procedure} ({start.ErrorStatus}): {start.Error}";
                Step($"Run {procedure}", StepStatus.Failed, from, refused);
                remediations.Add(remediation with { Outcome = "Failed", Resolution = refused });
                failure ??= refused;
                continue;
            }

            anyStarted = true;
            RunState state = await WaitForEndAsync(context, start.InstanceId!, input.PollSeconds);
            remediation = remediation with { InstanceId = start.InstanceId, Outcome = state.Outcome ?? state.RuntimeStatus, Resolution = state.Resolution ?? "" };
            remediations.Add(remediation);
            Step($"Run {procedure}", remediation.Succeeded ? StepStatus.Succeeded : StepStatus.Failed, from,
                $"{start.InstanceId}{(start.JoinedExisting ? " (joined the identical run already in progress)" : "")}: {remediation.Outcome} — {remediation.Resolution}");
            if (!remediation.Succeeded)
            {
                failure ??= $"{procedure} ended {remediation.Outcome}: {remediation.Resolution}";
            }
        }

        return failure is null
            ? End(PlannedRunOutcome.Succeeded, string.Join("; ", remediations.Select(r => $"{r.Procedure}: {r.Outcome}")))
            : End(anyStarted ? PlannedRunOutcome.Failed : (remediations.Exists(r => r.Outcome == "Failed") ? PlannedRunOutcome.Failed : PlannedRunOutcome.NotStarted), failure);
    }

    /// <summary>The longest a planned run waits for the remediation it started; no procedure's timeouts come near it.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromHours(6);

    /// <summary>Durable timers between reads: the orchestration sleeps while the remediation runs, on any server.</summary>
    private static async Task<RunState> WaitForEndAsync(TaskOrchestrationContext context, string instanceId, double pollSeconds)
    {
        TimeSpan poll = TimeSpan.FromSeconds(Math.Max(0.05, pollSeconds));
        DateTime giveUpAt = context.CurrentUtcDateTime + MaxWait;
        RunState state = await context.CallActivityAsync<RunState>(nameof(ReadRunOutcomeActivity), instanceId);
        while (!state.Finished && context.CurrentUtcDateTime < giveUpAt)
        {
            await context.CreateTimer(context.CurrentUtcDateTime + poll, CancellationToken.None);
            state = await context.CallActivityAsync<RunState>(nameof(ReadRunOutcomeActivity), instanceId);
        }

        return state.Finished ? state : state with { Outcome = "Failed", Resolution = $"still {state.RuntimeStatus} after {MaxWait.TotalHours:0} h; the planned run stopped waiting for it" };
    }
}
