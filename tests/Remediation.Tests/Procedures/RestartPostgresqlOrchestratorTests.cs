using Microsoft.DurableTask.Client;
using Remediation.Procedures.RestartPostgresql;
using Remediation.Runs;
using Xunit;

namespace Remediation.Tests.Procedures;

/// <summary>restart-postgresql (runbook §2) with the real activities against a simulated supervisor host.</summary>
[Trait("Category", "Orchestration")]
public sealed class RestartPostgresqlOrchestratorTests
{
    [Fact]
    public async Task RunAsync_HealthyStack_StopsDependentsInReverseRestartsPostgresqlStartsDependentsInOrder()
    {
        await using var target = new SimulatedTarget();
        await using ProcedureHost host = await ProcedureHost.StartAsync(target);

        (OrchestrationMetadata run, RunRecord? record) = await host.RunAsync<RestartPostgresqlOrchestrator>(Request());

        Assert.True(run.RuntimeStatus == OrchestrationRuntimeStatus.Completed, run.FailureDetails?.ErrorMessage);
        Assert.NotNull(record);
        Assert.Equal(RunOutcome.Succeeded, record.Outcome);
        Assert.Equal(["stop nginx", "stop odoo", "restart postgresql", "start odoo", "start nginx"], target.Changes);

        // Each dependent is started only once what it depends on answers.
        AssertInOrder(target.Events, "postgresql answers", "start odoo", "odoo answers", "start nginx", "nginx answers");
        Assert.Equal(["postgresql", "odoo", "nginx"], record.Changes.Select(c => c.Service));
        Assert.All(record.Changes, c => Assert.Equal(ServiceAction.Restart, c.Action));
        Assert.All(record.Changes, c => Assert.InRange(c.DowntimeSeconds!.Value, 0.01, 5));
        Assert.All(record.Changes, c => Assert.NotEqual(c.PidBefore, c.PidAfter));
        Assert.InRange(record.DowntimeSeconds!.Value, record.Changes.Max(c => c.DowntimeSeconds!.Value), 5);
        Assert.Contains(record.Steps, s => s.Name == "Verify PostgreSQL accepts connections" && s.Status == StepStatus.Succeeded);
        Assert.Single(host.Artifacts.Filed);
        Assert.Null(host.Locks.HolderOf(SimulatedTarget.Name));

        // No status read between the actions: stops and starts are judged by supervisorctl's own output, after a pgrep.
        const string Ctl = "sudo -n /usr/bin/supervisorctl ";
        Assert.Equal(
            [Ctl + "status all", Ctl + "stop nginx", Ctl + "stop odoo", Ctl + "restart postgresql", Ctl + "start odoo", Ctl + "start nginx", Ctl + "status all"],
            target.Commands.Where(c => c.Contains("supervisorctl", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task RunAsync_PostgresqlRestartFails_LeavesDependentsStoppedAndTheRecordSaysSo()
    {
        await using var target = new SimulatedTarget();
        target.Postgresql.FailingStarts = 2;
        await using ProcedureHost host = await ProcedureHost.StartAsync(target);

        (OrchestrationMetadata run, _) = await host.RunAsync<RestartPostgresqlOrchestrator>(Request());

        Assert.Equal(OrchestrationRuntimeStatus.Failed, run.RuntimeStatus);
        Assert.Equal(["stop nginx", "stop odoo", "restart postgresql", "start postgresql"], target.Changes);
        Assert.Equal("STOPPED", target.Odoo.State);
        Assert.Equal("STOPPED", target.Nginx.State);
        RunRecord filed = Assert.Single(host.Artifacts.Filed);
        Assert.Equal(RunOutcome.Failed, filed.Outcome);
        Assert.Contains("odoo was left stopped because what it depends on is not ready", filed.Issues);
        Assert.Contains("nginx was left stopped because what it depends on is not ready", filed.Issues);
        Assert.Contains(filed.Steps, s => s.Name == "Start odoo" && s.Status == StepStatus.Skipped);
        Assert.Contains(filed.Steps, s => s.Name == "Start nginx" && s.Status == StepStatus.Skipped);
        Assert.Equal(ServiceAction.Stop, filed.ChangeOf("odoo")!.Action);
        Assert.Equal(ServiceAction.Stop, filed.ChangeOf("nginx")!.Action);
        Assert.Contains("odoo was left stopped", host.Artifacts.LastRestartLog, StringComparison.Ordinal);
    }

    internal static void AssertInOrder(IReadOnlyList<string> events, params string[] expected)
    {
        int at = -1;
        foreach (string e in expected)
        {
            int next = -1;
            for (int i = at + 1; i < events.Count; i++)
            {
                if (events[i] == e)
                {
                    next = i;
                    break;
                }
            }

            Assert.True(next > at, $"'{e}' does not follow the events before it: {string.Join(" | ", events)}");
            at = next;
        }
    }

    [Fact]
    public async Task RunAsync_PreChecksStaleWhenTheRunCanAct_TakesThemAgainOnceBeforeChangingAnything()
    {
        await using var target = new SimulatedTarget();
        await using ProcedureHost host = await ProcedureHost.StartAsync(target, activityClock: new LaggingClock(TimeSpan.FromMinutes(2)));

        (OrchestrationMetadata run, RunRecord? record) = await host.RunAsync<RestartPostgresqlOrchestrator>(Request());

        // The statuses arrive 120 s old (the activities' clock lags): taken again once, recorded, then the run goes on.
        Assert.True(run.RuntimeStatus == OrchestrationRuntimeStatus.Completed, run.FailureDetails?.ErrorMessage);
        Assert.NotNull(record);
        Assert.Equal(["Pre-restart checks", "Pre-restart checks (taken again)"], record.Steps.Select(s => s.Name).Take(2));
        Assert.Equal(1, record.Steps.Count(s => s.Name == "Pre-restart checks (taken again)"));
        Assert.Contains(record.Warnings, w => w.StartsWith("The pre-checks were 120 s old", StringComparison.Ordinal));
        Assert.Equal(["stop nginx", "stop odoo", "restart postgresql", "start odoo", "start nginx"], target.Changes);
        List<string> commands = [.. target.Commands];
        int retaken = commands.IndexOf("sudo -n /usr/bin/supervisorctl status all", commands.IndexOf("sudo -n /usr/bin/supervisorctl status all") + 1);
        int firstChange = commands.FindIndex(c => c.Contains("supervisorctl stop", StringComparison.Ordinal) || c.Contains("supervisorctl restart", StringComparison.Ordinal));
        Assert.InRange(retaken, 1, firstChange - 1);
    }

    [Fact]
    public async Task RunAsync_ConnectionLostAfterOdooStopped_RedeliveredStopTakesTheOutageFromTheTargetsEvidence()
    {
        await using var target = new SimulatedTarget();
        target.LoseConnectionAfter("sudo -n /usr/bin/supervisorctl stop odoo");
        await using ProcedureHost host = await ProcedureHost.StartAsync(target);

        (OrchestrationMetadata run, RunRecord? record) = await host.RunAsync<RestartPostgresqlOrchestrator>(Request());

        Assert.True(run.RuntimeStatus == OrchestrationRuntimeStatus.Completed, run.FailureDetails?.ErrorMessage);
        Assert.NotNull(record);
        Assert.Equal(["stop nginx", "stop odoo", "restart postgresql", "start odoo", "start nginx"], target.Changes);
        ServiceChange odoo = record.ChangeOf("odoo")!;
        Assert.Equal(ServiceAction.Restart, odoo.Action);
        Assert.StartsWith("from the stop an interrupted delivery made (from target evidence: supervisord's log", odoo.DowntimeMethod, StringComparison.Ordinal);
        Assert.Contains("\"waiting for odoo to stop at ", odoo.DowntimeMethod, StringComparison.Ordinal);
        Assert.InRange(odoo.DowntimeSeconds!.Value, 0.1, 10);
    }

    private static RestartPostgresqlRequest Request() =>
        new() { Target = SimulatedTarget.Name, Service = "postgresql", Reason = "config change", RequestedBy = "alice" };
}
