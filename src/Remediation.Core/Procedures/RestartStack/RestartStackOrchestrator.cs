using Microsoft.DurableTask;
using Remediation.Activities;
using Remediation.Activities.Database;
using Remediation.Activities.Services;
using Remediation.Inventory;
using Remediation.Runs;
using Remediation.Runs.Plans;

namespace Remediation.Procedures.RestartStack;

/// <summary>
/// Runbook §4, "Full Stack Restart (Maximum Disruption)": stop every service in reverse dependency order, confirm no
/// process of a stopped service is left (killing leftovers as the force path does), start in dependency order with
/// each start gated on the previous service's readiness — no fixed sleeps — then full verification.
/// </summary>
public sealed class RestartStackOrchestrator : TaskOrchestrator<RestartStackRequest, RunRecord>
{
    public override Task<RunRecord> RunAsync(TaskOrchestrationContext context, RestartStackRequest input)
    {
        var run = new Run(context, ProcedureNames.RestartStack, input, ["all"]);
        return run.ExecuteAsync(async () =>
        {
            // Pre-restart checks, fresh when the run acts.
            (StackInspection stack, WorkloadReport? workload, List<ServiceChangeTracker> services) = await run.FreshPreChecksAsync("Pre-restart checks", async () =>
            {
                StackInspection taken = await context.CallActivityAsync<StackInspection>(nameof(InspectStackActivity), new TargetRef(input.Target), TargetRetry.Options);
                WorkloadReport? users = taken.Services.FirstOrDefault(s => s.Kind == ServiceKind.Odoo) is { } odoo
                    ? await WorkloadGate.CheckedOrForcedAsync(context.CallActivityAsync<WorkloadReport>(nameof(CheckWorkloadActivity), new ServiceRef(input.Target, odoo.Name)), input.Force)
                    : null;
                List<ServiceChangeTracker> trackers = [.. taken.Services.Select(s => run.Track(s.Name, s.Kind))];
                run.RecordPreChecks(taken, users, [$"stop order: {string.Join(", ", taken.StopOrder.Select(s => s.Name))}", $"start order: {string.Join(", ", taken.Services.Select(s => s.Name))}"]);
                return (taken, users, trackers);
            });
            run.WarnAboutOdooStop(stack);   // every Odoo unit is stopped

            IReadOnlyList<string> blockers = workload?.Blockers() ?? [];
            RunPlan steps = await run.PlanAsync(null, blockers);
            if (await PolicyGate.StopsAsync(context, run, input, steps, blockers, "Stop the stack", "stop and start the full stack",
                "Retry after the users have been notified and the cron jobs have finished, or repeat with force=true") is { } halted)
            {
                return halted;
            }

            // 1. Stop services in reverse dependency order.
            foreach (ServiceChangeTracker service in Enumerable.Reverse(services))
            {
                run.Journal.Begin($"Stop {service.Service}");
                run.RecordStop(service, await context.CallActivityAsync<ServiceActionResult>(nameof(StopServiceActivity), new StopServiceRequest(input.Target, service.Service, service.PidBefore), TargetRetry.Options));
            }

            // 2. Verify all stopped: no process of a stopped service is left; leftovers are killed.
            bool clean = true;
            foreach (ServiceChangeTracker service in Enumerable.Reverse(services))
            {
                run.Journal.Begin($"Confirm {service.Service} stopped");
                clean &= run.RecordLeftovers(service, await context.CallActivityAsync<LeftoverProcessesReport>(nameof(KillLeftoverProcessesActivity), new ServiceRef(input.Target, service.Service), TargetRetry.Options));
            }

            // 3. Start services in dependency order, each only once the one before it answers.
            bool ready = await OrderedStart.RunAsync(context, run, input.Target, services, clean, "the service before it is not ready");

            // 4. Verify all services.
            run.Journal.Begin("Post-restart verification");
            run.RecordVerification(await context.CallActivityAsync<VerificationReport>(
                nameof(VerifyStackActivity), new VerifyStackRequest(input.Target, run.LogPositions), TargetRetry.Options));

            return await run.FileAsync(run.Concluded(ready, "Successful — full stack restarted"));
        });
    }
}
