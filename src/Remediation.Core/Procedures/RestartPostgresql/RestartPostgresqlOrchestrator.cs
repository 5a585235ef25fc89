using Microsoft.DurableTask;
using Remediation.Activities;
using Remediation.Activities.Database;
using Remediation.Activities.Postgresql;
using Remediation.Activities.Services;
using Remediation.Inventory;
using Remediation.Runs;
using Remediation.Runs.Plans;

namespace Remediation.Procedures.RestartPostgresql;

/// <summary>
/// Runbook §2, "PostgreSQL Restart (Use with Caution)": pre-restart checks (connections by state, long-running
/// queries, and the Odoo workload its dependents serve), stop the services that depend on PostgreSQL, restart it,
/// <c>SELECT version()</c>, start the dependents in dependency order — each gated on readiness — then full verification.
/// </summary>
public sealed class RestartPostgresqlOrchestrator : TaskOrchestrator<RestartPostgresqlRequest, RunRecord>
{
    public override Task<RunRecord> RunAsync(TaskOrchestrationContext context, RestartPostgresqlRequest input)
    {
        var run = new Run(context, ProcedureNames.RestartPostgresql, input, [input.Service]);
        return run.ExecuteAsync(async () =>
        {
            // Pre-Restart Checks: the stack, pg_stat_activity, and what stopping Odoo would interrupt — fresh when the run acts.
            (StackInspection stack, IReadOnlyList<StackService> dependents, PostgresqlActivityReport postgres, WorkloadReport? workload,
                ServiceChangeTracker postgresql, List<ServiceChangeTracker> stopped) = await run.FreshPreChecksAsync("Pre-restart checks", async () =>
            {
                StackInspection taken = await context.CallActivityAsync<StackInspection>(nameof(InspectStackActivity), new TargetRef(input.Target), TargetRetry.Options);
                IReadOnlyList<StackService> dependentsNow = taken.DependentsOf(input.Service);
                Task<PostgresqlActivityReport> checking = context.CallActivityAsync<PostgresqlActivityReport>(
                    nameof(CheckPostgresqlActivity), new PostgresqlCheckRequest(input.Target, input.LongQueryThresholdSeconds));
                WorkloadReport? users = dependentsNow.FirstOrDefault(d => d.Kind == ServiceKind.Odoo) is { } odoo
                    ? await WorkloadGate.CheckedOrForcedAsync(context.CallActivityAsync<WorkloadReport>(nameof(CheckWorkloadActivity), new ServiceRef(input.Target, odoo.Name)), input.Force)
                    : null;
                PostgresqlActivityReport activity = await checking;

                ServiceChangeTracker restarted = run.Track(input.Service, taken.KindOf(input.Service));
                List<ServiceChangeTracker> dependentTrackers = [.. dependentsNow.Select(d => run.Track(d.Name, d.Kind))];
                run.RecordPreChecks(taken, users, [$"postgresql: {activity.Summary}", .. activity.Evidence, $"dependents to stop first: {Names(dependentsNow)}"]);
                return (taken, dependentsNow, activity, users, restarted, dependentTrackers);
            });
            foreach (StackService dependent in dependents)
            {
                run.WarnAboutOdooStop(stack, dependent.Name);   // the dependents are stopped: the unit pre-flight applies to them
            }

            // Policy gate: long-running queries (and users or crons of the Odoo it would stop) defer unless forced.
            IReadOnlyList<string> blockers = [.. postgres.Blockers(), .. workload?.Blockers() ?? []];
            string action = dependents.Count == 0 ? $"restart {input.Service}" : $"stop {Names(dependents.Reverse())}, restart {input.Service}, start {Names(dependents)}";
            RunPlan steps = await run.PlanAsync(input.Service, blockers);
            if (await PolicyGate.StopsAsync(context, run, input, steps, blockers, "Restart PostgreSQL", action,
                "Retry after the long-running queries have finished (or cancel them), or repeat with force=true") is { } halted)
            {
                return halted;
            }

            // "Stop Odoo first to prevent connection errors": every dependent, in reverse dependency order.
            foreach (ServiceChangeTracker dependent in Enumerable.Reverse(stopped))
            {
                run.Journal.Begin($"Stop {dependent.Service}");
                run.RecordStop(dependent, await context.CallActivityAsync<ServiceActionResult>(nameof(StopServiceActivity), new StopServiceRequest(input.Target, dependent.Service, dependent.PidBefore), TargetRetry.Options), mustSucceed: true);
            }

            // Restart PostgreSQL, with the force path if the graceful restart fails.
            run.Journal.Begin("Restart PostgreSQL");
            var pg = new ServiceRef(input.Target, input.Service);
            RestartAttempt restart = await context.CallActivityAsync<RestartAttempt>(
                nameof(RestartServiceActivity), new RestartServiceCommand(input.Target, input.Service, postgresql.PidBefore, run.LogPositions), TargetRetry.Options);
            bool ready = run.RecordGraceful(postgresql, restart) || await ForceRestart.RunAsync(context, run, postgresql, pg);

            // "Verify PostgreSQL is accepting connections".
            if (ready)
            {
                run.Journal.Begin("Verify PostgreSQL accepts connections");
                string version = await context.CallActivityAsync<string>(nameof(SelectPostgresqlVersionActivity), new TargetRef(input.Target), TargetRetry.Options);
                run.Journal.Succeed($"SELECT version(): {version}");
            }

            // "Restart Odoo": the dependents in dependency order, each start gated on the previous one's readiness.
            ready = await OrderedStart.RunAsync(context, run, input.Target, stopped, ready, "what it depends on is not ready");

            // Full verification.
            run.Journal.Begin("Post-restart verification");
            run.RecordVerification(await context.CallActivityAsync<VerificationReport>(
                nameof(VerifyStackActivity), new VerifyStackRequest(input.Target, run.LogPositions), TargetRetry.Options));

            return await run.FileAsync(run.Concluded(ready, postgresql.ForcePathTaken ? "Successful — PostgreSQL force-restarted after the graceful restart failed" : "Successful"));
        });
    }

    private static string Names(IEnumerable<StackService> services) => services.Any() ? string.Join(", ", services.Select(s => s.Name)) : "none";
}
