using Microsoft.DurableTask.Client;
using Remediation.Procedures.RestartStack;
using Remediation.Runs;
using Xunit;

namespace Remediation.Tests.Procedures;

/// <summary>restart-stack (runbook §4) with the real activities against a simulated supervisor host.</summary>
[Trait("Category", "Orchestration")]
public sealed class RestartStackOrchestratorTests
{
    [Fact]
    public async Task RunAsync_HealthyStack_StopsInReverseChecksLeftoversStartsEachAfterThePreviousAnswers()
    {
        await using var target = new SimulatedTarget();
        await using ProcedureHost host = await ProcedureHost.StartAsync(target);

        (OrchestrationMetadata run, RunRecord? record) = await host.RunAsync<RestartStackOrchestrator>(Request());

        Assert.True(run.RuntimeStatus == OrchestrationRuntimeStatus.Completed, run.FailureDetails?.ErrorMessage);
        Assert.NotNull(record);
        Assert.Equal(RunOutcome.Succeeded, record.Outcome);
        Assert.Equal(["stop nginx", "stop odoo", "stop postgresql", "start postgresql", "start odoo", "start nginx"], target.Changes);

        // Leftovers are looked for once everything is stopped, in stop order, before anything starts.
        List<string> commands = [.. target.Commands];
        int lastStop = commands.IndexOf("sudo -n /usr/bin/supervisorctl stop postgresql");
        int firstStart = commands.IndexOf("sudo -n /usr/bin/supervisorctl start postgresql");
        List<string> checks = [.. commands.Skip(lastStop + 1).Take(firstStart - lastStop - 1).Where(c => c.StartsWith("/usr/bin/pgrep", StringComparison.Ordinal))];
        Assert.Equal(["/usr/bin/pgrep -a -u www-data -f nginx", "/usr/bin/pgrep -a -u odoo -f odoo-bin", "/usr/bin/pgrep -a -u postgres -f postgres"], checks);

        RestartPostgresqlOrchestratorTests.AssertInOrder(target.Events, "start postgresql", "postgresql answers", "start odoo", "odoo answers", "start nginx", "nginx answers");
        Assert.All(record.Changes, c => Assert.Equal(ServiceAction.Restart, c.Action));
        Assert.All(record.Changes, c => Assert.InRange(c.DowntimeSeconds!.Value, 0.01, 5));
        Assert.Single(host.Artifacts.Filed);
    }

    [Fact]
    public async Task RunAsync_OdooNeverAnswers_DoesNotStartNginxAndFails()
    {
        await using var target = new SimulatedTarget(stepTimeoutSeconds: 1);
        target.Odoo.NeverListens = true;
        await using ProcedureHost host = await ProcedureHost.StartAsync(target);

        (OrchestrationMetadata run, _) = await host.RunAsync<RestartStackOrchestrator>(Request());

        Assert.Equal(OrchestrationRuntimeStatus.Failed, run.RuntimeStatus);
        Assert.Equal(["stop nginx", "stop odoo", "stop postgresql", "start postgresql", "start odoo"], target.Changes);
        Assert.Equal("STOPPED", target.Nginx.State);
        RunRecord filed = Assert.Single(host.Artifacts.Filed);
        Assert.Equal(RunOutcome.Failed, filed.Outcome);
        Assert.Contains(filed.Issues, i => i.StartsWith("odoo not ready", StringComparison.Ordinal));
        Assert.Contains("nginx was left stopped because the service before it is not ready", filed.Issues);
        Assert.Contains(filed.Steps, s => s.Name == "Start nginx" && s.Status == StepStatus.Skipped);
    }

    [Fact]
    public async Task RunAsync_CancelledWhileNginxStops_FinishesThatStepStartsNothingElseAndFilesWhoCancelled()
    {
        await using var target = new SimulatedTarget();
        target.Nginx.StopDuration = TimeSpan.FromMilliseconds(800);
        await using ProcedureHost host = await ProcedureHost.StartAsync(target);

        (OrchestrationMetadata run, RunRecord? record) = await host.RunAsync<RestartStackOrchestrator>(Request(), async id =>
        {
            while (!target.Events.Any(e => e.StartsWith("stop nginx", StringComparison.Ordinal)))
            {
                await Task.Delay(10);
            }

            await host.Client.RaiseEventAsync(id, Run.CancelEvent, new CancelRequest("bob", "wrong target"));
        });

        Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
        Assert.NotNull(record);
        Assert.Equal(RunOutcome.Cancelled, record.Outcome);
        Assert.Equal(["stop nginx"], target.Changes);
        Assert.Contains("Cancelled by bob (wrong target) before \"Stop odoo\"", record.Resolution, StringComparison.Ordinal);
        Assert.Contains("already changed: nginx (stop)", record.Resolution, StringComparison.Ordinal);
        Assert.Contains(record.Steps, s => s.Name == "Stop odoo" && s.Status == StepStatus.Skipped);
        Assert.DoesNotContain(record.Steps, s => s.Status == StepStatus.Running);
        Assert.Single(host.Artifacts.Filed);
        Assert.Contains("bob", host.Artifacts.LastRestartLog, StringComparison.Ordinal);
        Assert.Null(host.Locks.HolderOf(SimulatedTarget.Name));
    }

    [Fact]
    public async Task RunAsync_PreChecksStaleWhenTheRunCanAct_TakesThemAgainOnceBeforeChangingAnything()
    {
        await using var target = new SimulatedTarget();
        await using ProcedureHost host = await ProcedureHost.StartAsync(target, activityClock: new LaggingClock(TimeSpan.FromMinutes(2)));

        (OrchestrationMetadata run, RunRecord? record) = await host.RunAsync<RestartStackOrchestrator>(Request());

        // The statuses arrive 120 s old (the activities' clock lags): taken again once, recorded, then the run goes on.
        Assert.True(run.RuntimeStatus == OrchestrationRuntimeStatus.Completed, run.FailureDetails?.ErrorMessage);
        Assert.NotNull(record);
        Assert.Equal(["Pre-restart checks", "Pre-restart checks (taken again)"], record.Steps.Select(s => s.Name).Take(2));
        Assert.Equal(1, record.Steps.Count(s => s.Name == "Pre-restart checks (taken again)"));
        Assert.Contains(record.Warnings, w => w.StartsWith("The pre-checks were 120 s old", StringComparison.Ordinal));
        Assert.Equal(["stop nginx", "stop odoo", "stop postgresql", "start postgresql", "start odoo", "start nginx"], target.Changes);
        List<string> commands = [.. target.Commands];
        int retaken = commands.IndexOf("sudo -n /usr/bin/supervisorctl status all", commands.IndexOf("sudo -n /usr/bin/supervisorctl status all") + 1);
        int firstChange = commands.FindIndex(c => c.Contains("supervisorctl stop", StringComparison.Ordinal) || c.Contains("supervisorctl restart", StringComparison.Ordinal));
        Assert.InRange(retaken, 1, firstChange - 1);
    }

    [Fact]
    public async Task RunAsync_ConnectionLostAfterOdooStopped_RedeliveredStopTakesTheOutageFromTheTargetsEvidence()
    {
        await using var target = new SimulatedTarget(stepTimeoutSeconds: 1);
        target.LoseConnectionAfter("sudo -n /usr/bin/supervisorctl stop odoo");
        await using ProcedureHost host = await ProcedureHost.StartAsync(target);

        (OrchestrationMetadata run, RunRecord? record) = await host.RunAsync<RestartStackOrchestrator>(Request());

        Assert.True(run.RuntimeStatus == OrchestrationRuntimeStatus.Completed, run.FailureDetails?.ErrorMessage);
        Assert.NotNull(record);
        Assert.Equal(["stop nginx", "stop odoo", "stop postgresql", "start postgresql", "start odoo", "start nginx"], target.Changes);
        Assert.Contains("during this run; not stopping again", record.Steps.Single(s => s.Name == "Stop odoo").Summary, StringComparison.Ordinal);

        // The lost delivery's stop is the outage's start: supervisord's "waiting for odoo to stop", not "not measured".
        ServiceChange odoo = record.ChangeOf("odoo")!;
        Assert.Equal(ServiceAction.Restart, odoo.Action);
        Assert.StartsWith("from the stop an interrupted delivery made (from target evidence: supervisord's log (local time, UTC+01:00): \"waiting for odoo to stop at ", odoo.DowntimeMethod, StringComparison.Ordinal);
        DateTime stopSent = target.EventTimes.First(e => e.What == "stop odoo").AtUtc;
        DateTime answered = target.EventTimes.Last(e => e.What == "odoo answers").AtUtc;
        Assert.InRange(odoo.DowntimeSeconds!.Value, 0.1, (answered - stopSent).TotalSeconds + 0.05);
        Assert.All(record.Changes, c => Assert.NotNull(c.DowntimeSeconds));
    }

    private static RestartStackRequest Request() =>
        new() { Target = SimulatedTarget.Name, Reason = "maintenance", RequestedBy = "alice" };
}
