using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Remediation.Activities;
using Remediation.Activities.Database;
using Remediation.Activities.Services;
using Remediation.Runs;
using Remediation.Runs.Plans;

namespace Remediation.Procedures.RestartService;

/// <summary>
/// Runbook §1, "Odoo Service Restart (Standard)", followed by "Post-Restart Verification" and the restart log:
/// pre-restart checks, the policy gate, graceful restart, the force path if graceful fails, verification,
/// and documentation.
/// </summary>
public sealed partial class RestartServiceOrchestrator : TaskOrchestrator<RestartServiceRequest, RunRecord>
{
    public override Task<RunRecord> RunAsync(TaskOrchestrationContext context, RestartServiceRequest input)
    {
        ILogger logger = context.CreateReplaySafeLogger<RestartServiceOrchestrator>();
        var run = new Run(context, ProcedureNames.RestartService, input, [input.Service]);
        return run.ExecuteAsync(async () =>
        {
            // Pre-Restart Checklist + "Health Check Before Restart", in parallel — fresh when the run can act on them.
            var service = new ServiceRef(input.Target, input.Service);
            (StackInspection stack, WorkloadReport activity, ServiceChangeTracker restarted) = await run.FreshPreChecksAsync("Pre-restart checks", async () =>
            {
                Task<StackInspection> inspection = context.CallActivityAsync<StackInspection>(nameof(InspectStackActivity), new TargetRef(input.Target), TargetRetry.Options);
                Task<WorkloadReport> workload = context.CallActivityAsync<WorkloadReport>(nameof(CheckWorkloadActivity), service);
                StackInspection taken = await inspection;
                WorkloadReport users = await WorkloadGate.CheckedOrForcedAsync(workload, input.Force);
                ServiceChangeTracker tracker = run.Track(input.Service, taken.KindOf(input.Service));
                run.RecordPreChecks(taken, users);
                return (taken, users, tracker);
            });

            // Unit pre-flight (systemd): would the stop SIGKILL Odoo before it finishes its requests? Evidence only.
            run.WarnAboutOdooStop(stack, input.Service);

            // A dependency that is down: restarting onto it is downtime for nothing, forced or not.
            if (DependencyGate.Blocker(stack, input.Service) is { } dependencyDown)
            {
                return await run.RefuseForDependencyAsync("Graceful restart", dependencyDown, "Bring the dependency back first, then run restart-service again if it is still needed");
            }

            // Policy gate: a dry run stops at the plan; active users or due crons defer the restart unless forced;
            // approval, when the policy asks for it, of this plan by someone else — or nothing is changed.
            IReadOnlyList<string> blockers = activity.Blockers();
            RunPlan steps = await run.PlanAsync(input.Service, blockers);
            if (await PolicyGate.StopsAsync(context, run, input, steps, blockers, "Graceful restart", $"restart {input.Service}",
                "Retry after the users have been notified and the cron jobs have finished, or repeat with force=true") is { } halted)
            {
                return halted;
            }

            // Graceful Restart: restart, wait for readiness (no fixed sleep), check status.
            run.Journal.Begin("Graceful restart");
            RestartAttempt graceful = await context.CallActivityAsync<RestartAttempt>(
                nameof(RestartServiceActivity), new RestartServiceCommand(input.Target, input.Service, restarted.PidBefore, run.LogPositions), TargetRetry.Options);
            bool ready = run.RecordGraceful(restarted, graceful);

            // Force Restart (If Graceful Fails): stop, verify processes stopped, kill leftovers, start, wait.
            if (!ready)
            {
                LogForcePath(logger, input.Target, input.Service, graceful.Summary);
                ready = await ForceRestart.RunAsync(context, run, restarted, service);
            }

            // Post-Restart Verification and the Success Criteria Checklist.
            run.Journal.Begin("Post-restart verification");
            run.RecordVerification(await context.CallActivityAsync<VerificationReport>(
                nameof(VerifyStackActivity), new VerifyStackRequest(input.Target, run.LogPositions), TargetRetry.Options));

            return await run.FileAsync(run.Concluded(ready, restarted.ForcePathTaken ? "Successful — force restart after the graceful restart failed" : "Successful"));
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Graceful restart of {Service} on {Target} failed ({Why}); taking the force path")]
    private static partial void LogForcePath(ILogger logger, string target, string service, string why);
}
