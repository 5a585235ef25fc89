using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Remediation.Activities;
using Remediation.Activities.Artifacts;
using Remediation.Activities.Database;
using Remediation.Activities.Services;
using Remediation.Artifacts;
using Remediation.Probes;
using Remediation.Ssh;

namespace Remediation.Procedures.RestartService;

/// <summary>
/// Runbook §1, "Odoo Service Restart (Standard)", followed by "Post-Restart Verification" and the restart log:
/// pre-restart checks, the policy gate, graceful restart, the force path if graceful fails, verification,
/// and documentation.
/// </summary>
public sealed partial class RestartServiceOrchestrator : TaskOrchestrator<RestartServiceRequest, RunRecord>
{
    /// <summary>An unreachable target is retried; a host-key mismatch or a failed command is not.</summary>
    private static readonly TaskOptions TargetRetry = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 3,
        firstRetryInterval: TimeSpan.FromSeconds(2),
        backoffCoefficient: 2)
    {
        HandleFailure = failure => failure.IsCausedBy<SshUnreachableException>(),
    });

    private static readonly TaskOptions StorageRetry = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 5,
        firstRetryInterval: TimeSpan.FromSeconds(1),
        backoffCoefficient: 2));

    public override async Task<RunRecord> RunAsync(TaskOrchestrationContext context, RestartServiceRequest input)
    {
        ILogger logger = context.CreateReplaySafeLogger<RestartServiceOrchestrator>();
        var run = new RestartRun(context, input);
        try
        {
            // Pre-Restart Checklist + "Health Check Before Restart", in parallel.
            run.Journal.Begin("Pre-restart checks");
            var target = new ServiceRef(input.Target, input.Service);
            Task<StackInspection> inspection = context.CallActivityAsync<StackInspection>(nameof(InspectStackActivity), target, TargetRetry);
            Task<WorkloadReport> workload = context.CallActivityAsync<WorkloadReport>(nameof(CheckWorkloadActivity), target);
            StackInspection stack = await inspection;
            WorkloadReport activity = await CheckedOrForcedAsync(workload, input.Force);
            run.RecordPreChecks(stack, activity);

            // Policy gate: active users or due crons defer the restart unless forced; a dry run stops here.
            IReadOnlyList<string> blockers = activity.Blockers();
            bool deferred = blockers.Count > 0 && !input.Force;
            if (input.DryRun)
            {
                string plan = deferred ? "would defer: " + string.Join("; ", blockers)
                    : blockers.Count > 0 ? $"would restart {input.Service}, forced past: " + string.Join("; ", blockers)
                    : $"would restart {input.Service}";
                run.Journal.Skip("Graceful restart", "dry run: " + plan);
                return await FileAsync(context, run.DryRun(plan));
            }

            if (deferred)
            {
                run.Journal.Skip("Graceful restart", "deferred: " + string.Join("; ", blockers));
                return await FileAsync(context, run.Deferred(blockers));
            }

            // Graceful Restart: restart, wait for readiness (no fixed sleep), check status.
            run.Journal.Begin("Graceful restart");
            RestartAttempt graceful = await context.CallActivityAsync<RestartAttempt>(
                nameof(RestartServiceActivity), new RestartServiceCommand(input.Target, input.Service, run.PidBefore), TargetRetry);
            run.RecordGraceful(graceful);

            // Force Restart (If Graceful Fails): stop, verify processes stopped, kill leftovers, start, wait.
            if (!graceful.Ready)
            {
                LogForcePath(logger, input.Target, input.Service, graceful.Summary);
                run.Journal.Begin("Force restart: stop");
                run.RecordStop(await context.CallActivityAsync<ServiceActionResult>(nameof(StopServiceActivity), target, TargetRetry));

                run.Journal.Begin("Force restart: kill leftover processes");
                run.RecordLeftovers(await context.CallActivityAsync<LeftoverProcessesReport>(nameof(KillLeftoverProcessesActivity), target, TargetRetry));

                run.Journal.Begin("Force restart: start");
                run.RecordStart(await context.CallActivityAsync<ServiceActionResult>(nameof(StartServiceActivity), target, TargetRetry));

                run.Journal.Begin("Force restart: wait for readiness");
                run.RecordForcedReadiness(await context.CallActivityAsync<ReadinessOutcome>(nameof(WaitForReadinessActivity), target, TargetRetry));
            }

            // Post-Restart Verification and the Success Criteria Checklist.
            run.Journal.Begin("Post-restart verification");
            run.RecordVerification(await context.CallActivityAsync<VerificationReport>(
                nameof(VerifyServiceActivity), new VerifyServiceRequest(input.Target, input.Service, run.LogPositions), TargetRetry));

            RunRecord record = await FileAsync(context, run.Concluded());
            return record.Outcome == RunOutcome.Failed
                ? throw new RemediationFailedException($"{input.Service} on {input.Target} is not healthy after the restart: {string.Join("; ", record.Issues)}")
                : record;
        }
        catch (TaskFailedException failure)
        {
            string step = run.Journal.Steps.LastOrDefault(s => s.Status == StepStatus.Running)?.Name ?? "a step";
            string cause = failure.FailureDetails.ErrorMessage;
            run.Journal.FailRunningStep(cause);
            await FileAsync(context, run.Aborted($"{step} failed: {cause}"));
            throw new RemediationFailedException($"{step} failed: {cause}", failure);
        }

        async Task<RunRecord> FileAsync(TaskOrchestrationContext ctx, RunRecord record)
        {
            run.Journal.Begin("Restart log");
            record = record with { FinishedUtc = ctx.CurrentUtcDateTime };
            // The log is filed by the step that is running now; it lists the steps that have finished.
            RunRecord filed = record with { Steps = [.. run.Journal.Steps.Where(s => s.Status != StepStatus.Running)] };
            ArtifactLinks links = await ctx.CallActivityAsync<ArtifactLinks>(nameof(WriteRestartLogActivity), filed, StorageRetry);
            run.Journal.Succeed($"filed {links.RestartLog}");
            record = record with { Steps = run.Journal.Steps };
            run.Journal.Finish(record.Outcome, record.Resolution, links.RestartLog, links.Record);
            return record;
        }
    }

    /// <summary>
    /// Not knowing whether users are active is not "no users": without force the run fails closed; with force
    /// the restart goes ahead and the unknown is recorded as an issue.
    /// </summary>
    private static async Task<WorkloadReport> CheckedOrForcedAsync(Task<WorkloadReport> workload, bool force)
    {
        try
        {
            return await workload;
        }
        catch (TaskFailedException failure) when (force)
        {
            return WorkloadReport.Unknown(failure.FailureDetails.ErrorMessage);
        }
        catch (TaskFailedException failure)
        {
            throw new TaskFailedException(
                failure.TaskName,
                failure.TaskId,
                new TaskFailureDetails(
                    failure.FailureDetails.ErrorType,
                    $"could not check active users and due cron jobs ({failure.FailureDetails.ErrorMessage}); repeat with force=true to restart without that check",
                    failure.FailureDetails.StackTrace,
                    failure.FailureDetails.InnerFailure,
                    null));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Graceful restart of {Service} on {Target} failed ({Why}); taking the force path")]
    private static partial void LogForcePath(ILogger logger, string target, string service, string why);
}
