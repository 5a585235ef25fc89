using Microsoft.DurableTask.Client;
using Remediation.Activities.Database;
using Remediation.Probes;
using Remediation.Procedures.RestartService;
using Remediation.Runs;
using Remediation.Ssh;
using Xunit;

namespace Remediation.Tests.Procedures;

/// <summary>restart-service (runbook §1) with the real activities against a simulated supervisor host.</summary>
[Trait("Category", "Orchestration")]
public sealed class RestartServiceOrchestratorTests
{
    private const string RestartOdoo = "sudo -n /usr/bin/supervisorctl restart odoo";

    [Fact]
    public async Task RunAsync_HealthyOdoo_RestartsOnceMeasuresDowntimeFilesLogAndReleasesLock()
    {
        await using var target = new SimulatedTarget();
        await using ProcedureHost host = await ProcedureHost.StartAsync(target);
        int pidBefore = target.Odoo.Pid!.Value;

        (OrchestrationMetadata run, RunRecord? record) = await host.RunAsync<RestartServiceOrchestrator>(Request());

        Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
        Assert.NotNull(record);
        Assert.Equal(RunOutcome.Succeeded, record.Outcome);
        Assert.Equal(["restart odoo"], target.Changes);
        ServiceChange odoo = record.ChangeOf("odoo")!;
        Assert.Equal(ServiceAction.Restart, odoo.Action);
        Assert.Equal(pidBefore, odoo.PidBefore);
        Assert.Equal(target.Odoo.Pid, odoo.PidAfter);
        Assert.NotEqual(odoo.PidBefore, odoo.PidAfter);
        Assert.False(record.ForcePathTaken);
        Assert.InRange(record.DowntimeSeconds!.Value, 0.05, SentToAnsweredSeconds(target, "restart odoo"));
        Assert.StartsWith("127.0.0.1:", record.DowntimeMethod, StringComparison.Ordinal);
        Assert.Equal(["Pre-restart checks", "Graceful restart", "Post-restart verification", "Restart log"], record.Steps.Select(s => s.Name));
        Assert.All(record.Steps, s => Assert.Equal(StepStatus.Succeeded, s.Status));
        RunRecord filed = Assert.Single(host.Artifacts.Filed);
        Assert.DoesNotContain(filed.Steps, s => s.Status == StepStatus.Running);
        Assert.Contains("**Services Restarted**: ", host.Artifacts.LastRestartLog, StringComparison.Ordinal);
        Assert.Contains("| odoo |", host.Artifacts.LastRestartLog, StringComparison.Ordinal);
        Assert.Null(host.Locks.HolderOf(SimulatedTarget.Name));
        Assert.Empty(target.Directories);   // the restart claim is removed once Odoo runs as a new process

        // Each supervisorctl call is a Python start-up: the stack is read once before and once after, and the
        // restart step confirms the pre-checks' PID with pgrep and takes "started" from the restart's own output.
        Assert.Equal(
            ["sudo -n /usr/bin/supervisorctl status all", RestartOdoo, "sudo -n /usr/bin/supervisorctl status all"],
            target.Commands.Where(c => c.Contains("supervisorctl", StringComparison.Ordinal)));
        Assert.Contains("/usr/bin/pgrep -a -u odoo -f odoo-bin", target.Commands);
    }

    [Fact]
    public async Task RunAsync_OdooIgnoresSigterm_TimesOutThenStopsKillsLeftoverStartsAndRecordsForcePath()
    {
        await using var target = new SimulatedTarget(stepTimeoutSeconds: 1);
        target.Odoo.IgnoresSigterm = true;
        await using ProcedureHost host = await ProcedureHost.StartAsync(target);
        int pidBefore = target.Odoo.Pid!.Value;

        (OrchestrationMetadata run, RunRecord? record) = await host.RunAsync<RestartServiceOrchestrator>(Request());

        Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
        Assert.NotNull(record);
        Assert.Equal(["restart odoo", "stop odoo", "kill odoo-bin of odoo", "start odoo"], target.Changes);
        Assert.True(record.ForcePathTaken);
        Assert.Equal(RunOutcome.SucceededWithIssues, record.Outcome);
        Assert.StartsWith("Successful — force restart", record.Resolution, StringComparison.Ordinal);
        Assert.Contains(record.Issues, i => i.StartsWith("Graceful restart of odoo failed: did not finish within the graceful timeout", StringComparison.Ordinal));
        Assert.Contains(record.Issues, i => i.StartsWith("Hanging processes of odoo were killed", StringComparison.Ordinal) && i.Contains(pidBefore.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        Assert.Equal(
            ["Pre-restart checks", "Graceful restart", "Force restart: stop", "Force restart: kill leftover processes", "Force restart: start", "Force restart: wait for readiness", "Post-restart verification", "Restart log"],
            record.Steps.Select(s => s.Name));

        // The graceful command was given the inventory's 1 s and answered "timed out" only once it had passed.
        StepRecord graceful = record.Steps.Single(s => s.Name == "Graceful restart");
        Assert.Equal(StepStatus.Failed, graceful.Status);
        Assert.Contains("timed out", graceful.Summary, StringComparison.Ordinal);
        Assert.True(graceful.DurationMs >= 950, $"graceful restart step took {graceful.DurationMs} ms");

        ServiceChange odoo = record.ChangeOf("odoo")!;
        Assert.Equal(ServiceAction.Restart, odoo.Action);
        Assert.Equal(target.Odoo.Pid, odoo.PidAfter);
        Assert.NotEqual(pidBefore, odoo.PidAfter);
        Assert.InRange(odoo.DowntimeSeconds!.Value, 0.05, 3);
        Assert.Equal("RUNNING", target.Odoo.State);
        Assert.Single(host.Artifacts.Filed);
    }

    [Fact]
    public async Task RunAsync_ConnectionLostAfterRestartRan_RedeliveredStepFindsNewPidAndDoesNotRestartAgain()
    {
        await using var target = new SimulatedTarget();
        target.LoseConnectionAfter(RestartOdoo);
        await using ProcedureHost host = await ProcedureHost.StartAsync(target);
        int pidBefore = target.Odoo.Pid!.Value;

        (OrchestrationMetadata run, RunRecord? record) = await host.RunAsync<RestartServiceOrchestrator>(Request());

        Assert.True(run.RuntimeStatus == OrchestrationRuntimeStatus.Completed, run.FailureDetails?.ErrorMessage);
        Assert.NotNull(record);
        Assert.Equal(1, target.Commands.Count(c => c == RestartOdoo));
        Assert.Equal(["restart odoo"], target.Changes);
        ServiceChange odoo = record.ChangeOf("odoo")!;
        Assert.Equal(ServiceAction.Restart, odoo.Action);
        Assert.Equal(pidBefore, odoo.PidBefore);
        Assert.Equal(target.Odoo.Pid, odoo.PidAfter);
        Assert.Contains("not restarting again", record.Steps.Single(s => s.Name == "Graceful restart").Summary, StringComparison.Ordinal);
        Assert.Empty(target.Directories);   // the lost attempt's restart claim was removed by the one that found its work done

        // Nobody watched that restart: its downtime comes from supervisord's log (local time, UTC+01:00 here) up to
        // Odoo's own "listening" line — the simulated stop takes 0.1 s and the start 0.15 s.
        Assert.StartsWith("from target evidence: supervisord's log (local time, UTC+01:00): \"waiting for odoo to stop at ", odoo.DowntimeMethod, StringComparison.Ordinal);
        Assert.Contains($"\"spawned: 'odoo' with pid {target.Odoo.Pid} at ", odoo.DowntimeMethod, StringComparison.Ordinal);
        Assert.Contains("HTTP service (werkzeug) running on 127.0.0.1:", odoo.DowntimeMethod, StringComparison.Ordinal);
        Assert.Contains("from the stop's start to the new process listening", odoo.DowntimeMethod, StringComparison.Ordinal);
        Assert.InRange(odoo.DowntimeSeconds!.Value, 0.2, SentToAnsweredSeconds(target, "restart odoo"));
        Assert.Equal(odoo.DowntimeSeconds, record.DowntimeSeconds);
        Assert.Contains("from target evidence", host.Artifacts.LastRestartLog, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_RestartFasterThanTheProbes_TakesTheDowntimeFromTheTargetsEvidenceNotZero()
    {
        await using var target = new SimulatedTarget();
        target.Odoo.AnswersThroughRestart = true;
        await using ProcedureHost host = await ProcedureHost.StartAsync(target);

        (OrchestrationMetadata run, RunRecord? record) = await host.RunAsync<RestartServiceOrchestrator>(Request());

        Assert.True(run.RuntimeStatus == OrchestrationRuntimeStatus.Completed, run.FailureDetails?.ErrorMessage);
        Assert.NotNull(record);
        Assert.Equal(["restart odoo"], target.Changes);
        ServiceChange odoo = record.ChangeOf("odoo")!;
        Assert.StartsWith("from target evidence: supervisord's log (local time, UTC+01:00): \"waiting for odoo to stop at ", odoo.DowntimeMethod, StringComparison.Ordinal);
        Assert.Contains("HTTP service (werkzeug) running on 127.0.0.1:", odoo.DowntimeMethod, StringComparison.Ordinal);
        Assert.EndsWith("polled every 50 ms, never saw it down", odoo.DowntimeMethod, StringComparison.Ordinal);
        // The simulated stop takes 0.1 s and the start 0.15 s: that, not "0 s, no probe failed".
        Assert.InRange(odoo.DowntimeSeconds!.Value, 0.2, 1.5);
    }

    [Fact]
    public async Task RunAsync_ConnectionLostMidRestartWhileOdooIsDown_RetriesAndStartsOdoo()
    {
        await using var target = new SimulatedTarget();
        target.LoseConnectionMidRestart("odoo");
        await using ProcedureHost host = await ProcedureHost.StartAsync(target);

        (OrchestrationMetadata run, RunRecord? record) = await host.RunAsync<RestartServiceOrchestrator>(Request());

        // SSH connection loss is what TargetRetry retries; the re-delivered step finds odoo stopped and starts it.
        Assert.True(run.RuntimeStatus == OrchestrationRuntimeStatus.Completed, run.FailureDetails?.ErrorType + ": " + run.FailureDetails?.ErrorMessage);
        Assert.NotNull(record);
        Assert.Equal(["restart odoo", "start odoo"], target.Changes);
        Assert.Equal("RUNNING", target.Odoo.State);

        // The outage began in the lost delivery, before the re-delivered step's watch: not the watch's 0.15 s, but from
        // supervisord's "waiting for odoo to stop" to the new Odoo's "listening" line, across the retry's back-off.
        ServiceChange odoo = record.ChangeOf("odoo")!;
        Assert.Equal(ServiceAction.Restart, odoo.Action);
        Assert.StartsWith("from target evidence: supervisord's log (local time, UTC+01:00): \"waiting for odoo to stop at ", odoo.DowntimeMethod, StringComparison.Ordinal);
        Assert.Contains("\"stopped: odoo (terminated by SIGTERM) at ", odoo.DowntimeMethod, StringComparison.Ordinal);
        Assert.Contains("to the new process listening", odoo.DowntimeMethod, StringComparison.Ordinal);
        Assert.InRange(odoo.DowntimeSeconds!.Value, 0.3, SentToAnsweredSeconds(target, "restart odoo"));
        Assert.Equal(odoo.DowntimeSeconds, record.DowntimeSeconds);
    }

    [Fact]
    public async Task RunAsync_StartFails_FailsTheRunAndFilesTheRecord()
    {
        await using var target = new SimulatedTarget();
        target.Odoo.FailingStarts = 2;
        await using ProcedureHost host = await ProcedureHost.StartAsync(target);

        (OrchestrationMetadata run, _) = await host.RunAsync<RestartServiceOrchestrator>(Request());

        Assert.Equal(OrchestrationRuntimeStatus.Failed, run.RuntimeStatus);
        Assert.Contains("did not leave a healthy stack", run.FailureDetails!.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(["restart odoo", "start odoo"], target.Changes);
        Assert.Equal("FATAL", target.Odoo.State);
        RunRecord filed = Assert.Single(host.Artifacts.Filed);
        Assert.Equal(RunOutcome.Failed, filed.Outcome);
        Assert.True(filed.ForcePathTaken);
        Assert.Contains(filed.Issues, i => i.StartsWith("start of odoo failed", StringComparison.Ordinal) && i.Contains("ERROR (spawn error)", StringComparison.Ordinal)
            && i.Contains($"last lines of {SimulatedTarget.OdooLog}: ", StringComparison.Ordinal));
        Assert.Contains(filed.SuccessCriteria, c => c.Name.StartsWith("All services", StringComparison.Ordinal) && c.Status == CriterionStatus.Failed);
        Assert.Contains(filed.FollowUpActions, f => f.StartsWith("Escalate", StringComparison.Ordinal));
        Assert.Null(host.Locks.HolderOf(SimulatedTarget.Name));
    }

    [Fact]
    public async Task RunAsync_ErrorLoggedAfterPreChecks_CountsOnlyTheLinesAfterTheMeasuredPosition()
    {
        await using var target = new SimulatedTarget();
        target.AppendLog(SimulatedTarget.OdooLog, "2026-11-25 02:59:00,000 1 ERROR odoo_production odoo.http: before the run");
        target.Odoo.LinesOnStart.Add("2026-11-25 03:00:01,000 7 ERROR odoo_production odoo.modules.registry: Failed to load registry");
        await using ProcedureHost host = await ProcedureHost.StartAsync(target);

        (_, RunRecord? record) = await host.RunAsync<RestartServiceOrchestrator>(Request());

        Assert.NotNull(record);
        Assert.Equal(RunOutcome.SucceededWithIssues, record.Outcome);
        SuccessCriterion logs = record.SuccessCriteria.Single(c => c.Name == "No error messages in logs");
        Assert.Equal(CriterionStatus.Failed, logs.Status);
        Assert.Contains("1 error line(s)", logs.Detail, StringComparison.Ordinal);
        Assert.Contains("Failed to load registry", logs.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("before the run", logs.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_HostKeyMismatch_FailsWithoutRetryAndFilesFailedLog()
    {
        await using var target = new SimulatedTarget { HostKeyMismatch = true };
        await using ProcedureHost host = await ProcedureHost.StartAsync(target);

        (OrchestrationMetadata run, _) = await host.RunAsync<RestartServiceOrchestrator>(Request());

        Assert.Equal(OrchestrationRuntimeStatus.Failed, run.RuntimeStatus);
        Assert.StartsWith("Pre-restart checks failed", run.FailureDetails!.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("Host key for demo (127.0.0.1:2222)", run.FailureDetails.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(1, target.Connects);
        Assert.Empty(target.Commands);
        RunRecord filed = Assert.Single(host.Artifacts.Filed);
        Assert.Equal(RunOutcome.Failed, filed.Outcome);
        Assert.Contains("Host key", filed.Resolution, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_TargetUnreachableOnce_RetriesAndSucceeds()
    {
        await using var target = new SimulatedTarget();
        target.FailNextConnect(new SshUnreachableException("demo (127.0.0.1:2222): connection refused"));
        await using ProcedureHost host = await ProcedureHost.StartAsync(target);

        (_, RunRecord? record) = await host.RunAsync<RestartServiceOrchestrator>(Request());

        Assert.NotNull(record);
        Assert.Equal(RunOutcome.Succeeded, record.Outcome);
        Assert.Equal(["restart odoo"], target.Changes);
    }

    [Fact]
    public async Task RunAsync_WorkloadUncheckableWithoutForce_FailsClosedAndSaysHowToForce()
    {
        await using var target = new SimulatedTarget();
        await using ProcedureHost host = await ProcedureHost.StartAsync(target, new ProcedureHost.ScriptedWorkload(Failure: new InvalidOperationException("Connection refused (127.0.0.1:5432)")));

        (OrchestrationMetadata run, _) = await host.RunAsync<RestartServiceOrchestrator>(Request());

        Assert.Equal(OrchestrationRuntimeStatus.Failed, run.RuntimeStatus);
        Assert.Contains("could not check active users", run.FailureDetails!.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("force=true", run.FailureDetails.ErrorMessage, StringComparison.Ordinal);
        Assert.Empty(target.Changes);
        Assert.Equal(RunOutcome.Failed, Assert.Single(host.Artifacts.Filed).Outcome);
    }

    [Fact]
    public async Task RunAsync_WorkloadUncheckableWithForce_RestartsAndRecordsTheUnknown()
    {
        await using var target = new SimulatedTarget();
        await using ProcedureHost host = await ProcedureHost.StartAsync(target, new ProcedureHost.ScriptedWorkload(Failure: new InvalidOperationException("Connection refused (127.0.0.1:5432)")));

        (_, RunRecord? record) = await host.RunAsync<RestartServiceOrchestrator>(Request() with { Force = true });

        Assert.NotNull(record);
        Assert.Equal(RunOutcome.SucceededWithIssues, record.Outcome);
        Assert.Equal(["restart odoo"], target.Changes);
        Assert.Contains(record.Issues, i => i.StartsWith("Active users and due cron jobs were not checked", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_ActiveUsersWithoutForce_DefersAndChangesNothing()
    {
        await using var target = new SimulatedTarget();
        var busy = new WorkloadReport(true, "3 active user(s)") { Users = new ActiveUsers(3, 1, 3) };
        await using ProcedureHost host = await ProcedureHost.StartAsync(target, new ProcedureHost.ScriptedWorkload(Report: busy));

        (_, RunRecord? record) = await host.RunAsync<RestartServiceOrchestrator>(Request());

        Assert.NotNull(record);
        Assert.Equal(RunOutcome.Deferred, record.Outcome);
        Assert.Contains("3 active user(s)", record.Resolution, StringComparison.Ordinal);
        Assert.Empty(target.Changes);
        Assert.Null(record.DowntimeSeconds);
        Assert.Single(host.Artifacts.Filed);
    }

    [Fact]
    public async Task RunAsync_DryRun_RunsOnlyReadOnlyCommands()
    {
        await using var target = new SimulatedTarget();
        await using ProcedureHost host = await ProcedureHost.StartAsync(target);

        (_, RunRecord? record) = await host.RunAsync<RestartServiceOrchestrator>(Request() with { DryRun = true });

        Assert.NotNull(record);
        Assert.Equal(RunOutcome.DryRun, record.Outcome);
        Assert.Empty(target.Changes);
        Assert.All(target.Commands, c => Assert.Matches("^(sudo -n /usr/bin/supervisorctl status |/usr/bin/wc -c )", c));
        Assert.Contains(record.Steps, s => s.Status == StepStatus.Skipped && s.Summary.StartsWith("dry run", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_PostgresqlDownEvenWithForce_TouchesNothingAndNamesTheProcedureThatHelps()
    {
        await using var target = new SimulatedTarget();
        target.Crash(target.Postgresql);
        await using ProcedureHost host = await ProcedureHost.StartAsync(target);

        (OrchestrationMetadata run, RunRecord? record) = await host.RunAsync<RestartServiceOrchestrator>(Request() with { Force = true });

        Assert.Equal(OrchestrationRuntimeStatus.Failed, run.RuntimeStatus);
        Assert.Empty(target.Changes);
        Assert.DoesNotContain(target.Commands, c => c.Contains("supervisorctl restart", StringComparison.Ordinal) || c.Contains("supervisorctl stop", StringComparison.Ordinal));
        RunRecord filed = Assert.Single(host.Artifacts.Filed);
        Assert.Equal(RunOutcome.Failed, filed.Outcome);
        Assert.Contains("odoo depends on postgresql (EXITED)", filed.Resolution, StringComparison.Ordinal);
        Assert.Contains("restart-postgresql", filed.Resolution, StringComparison.Ordinal);
        Assert.Contains(filed.Steps, s => s.Name == "Graceful restart" && s.Status == StepStatus.Skipped);
        Assert.Equal(ServiceAction.None, filed.ChangeOf("odoo")!.Action);
        Assert.Null(host.Locks.HolderOf(SimulatedTarget.Name));
    }

    [Fact]
    public async Task RunAsync_PreChecksStaleWhenTheRunCanAct_TakesThemAgainOnceBeforeRestarting()
    {
        await using var target = new SimulatedTarget();
        await using ProcedureHost host = await ProcedureHost.StartAsync(target, activityClock: new LaggingClock(TimeSpan.FromMinutes(2)));

        (OrchestrationMetadata run, RunRecord? record) = await host.RunAsync<RestartServiceOrchestrator>(Request());

        Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
        Assert.NotNull(record);
        Assert.Equal(["Pre-restart checks", "Pre-restart checks (taken again)", "Graceful restart"], record.Steps.Select(s => s.Name).Take(3));
        Assert.Equal(2, target.Commands.Count(c => c == "sudo -n /usr/bin/supervisorctl status all") - 1);
        Assert.Contains(record.Warnings, w => w.StartsWith("The pre-checks were 120 s old", StringComparison.Ordinal));
        Assert.Equal(["restart odoo"], target.Changes);
    }

    /// <summary>The most an outage can have lasted, by the target: from the change's command to the service answering again.</summary>
    private static double SentToAnsweredSeconds(SimulatedTarget target, string change)
    {
        DateTime sent = target.EventTimes.First(e => e.What == change).AtUtc;
        DateTime answered = target.EventTimes.Last(e => e.What == "odoo answers").AtUtc;
        return (answered - sent).TotalSeconds + 0.05;
    }

    private static RestartServiceRequest Request() =>
        new() { Target = SimulatedTarget.Name, Service = "odoo", Reason = "unresponsive", RequestedBy = "alice" };
}
