using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Remediation.Activities.Services;
using Remediation.Artifacts;
using Remediation.Probes;
using Remediation.Runs;
using Remediation.Procedures.RestartService;
using Remediation.Ssh;
using Xunit;

namespace Remediation.Tests.Procedures;

[Trait("Category", "Orchestration")]
public sealed class RestartServiceOrchestratorTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task RunAsync_HealthyService_RestartsOnceVerifiesAndFilesLog()
    {
        var target = new ScriptedTarget();

        (OrchestrationMetadata run, RunRecord record) = await RunAsync(target, new RestartServiceRequest { Target = "demo", Service = "odoo", Reason = "unresponsive", RequestedBy = "alice" });

        Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
        Assert.Equal(RunOutcome.Succeeded, record.Outcome);
        Assert.Equal(1, target.Calls(nameof(RestartServiceActivity)));
        Assert.Equal(0, target.Calls(nameof(StopServiceActivity)));
        Assert.False(record.ForcePathTaken);
        Assert.Equal(100, record.ChangeOf("odoo")!.PidBefore);
        Assert.Equal(101, record.ChangeOf("odoo")!.PidAfter);
        Assert.Equal(1.25, record.DowntimeSeconds);
        RunRecord filed = Assert.Single(target.FiledRecords);
        Assert.DoesNotContain(filed.Steps, s => s.Status == StepStatus.Running);
        Assert.Equal("Successful", record.Resolution);
        Assert.Equal(["Pre-restart checks", "Graceful restart", "Post-restart verification", "Restart log"], record.Steps.Select(s => s.Name));
        Assert.All(record.Steps, s => Assert.Equal(StepStatus.Succeeded, s.Status));
    }

    [Fact]
    public async Task RunAsync_GracefulRestartTimesOut_TakesForcePathAndRecordsIt()
    {
        var target = new ScriptedTarget { GracefulReady = false };

        (OrchestrationMetadata run, RunRecord record) = await RunAsync(target, new RestartServiceRequest { Target = "demo", Service = "odoo" });

        Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
        Assert.True(record.ForcePathTaken);
        Assert.Equal(RunOutcome.SucceededWithIssues, record.Outcome);
        Assert.StartsWith("Successful — force restart", record.Resolution, StringComparison.Ordinal);
        Assert.Contains(record.Issues, i => i.StartsWith("Graceful restart of odoo failed", StringComparison.Ordinal));
        Assert.Equal(1, target.Calls(nameof(StopServiceActivity)));
        Assert.Equal(1, target.Calls(nameof(KillLeftoverProcessesActivity)));
        Assert.Equal(1, target.Calls(nameof(StartServiceActivity)));
        Assert.Equal(
            ["Pre-restart checks", "Graceful restart", "Force restart: stop", "Force restart: kill leftover processes", "Force restart: start", "Force restart: wait for readiness", "Post-restart verification", "Restart log"],
            record.Steps.Select(s => s.Name));
        Assert.Equal(110, record.ChangeOf("odoo")!.PidAfter);
    }

    [Fact]
    public async Task RunAsync_ActiveUsersWithoutForce_DefersAndRestartsNothing()
    {
        var target = new ScriptedTarget { ActiveUsers = 3 };
        target.DueCrons.Add(new DueCron(3, "Mail: Email Queue Manager", new DateTime(2026, 11, 25, 2, 55, 0, DateTimeKind.Utc), false));

        (OrchestrationMetadata run, RunRecord record) = await RunAsync(target, new RestartServiceRequest { Target = "demo", Service = "odoo" });

        Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
        Assert.Equal(RunOutcome.Deferred, record.Outcome);
        Assert.Equal(0, target.Calls(nameof(RestartServiceActivity)));
        Assert.Contains("3 active user(s)", record.Resolution, StringComparison.Ordinal);
        Assert.Contains("Mail: Email Queue Manager", record.Resolution, StringComparison.Ordinal);
        Assert.Null(record.DowntimeSeconds);
        Assert.Single(target.FiledRecords);
    }

    [Fact]
    public async Task RunAsync_ActiveUsersWithForce_Restarts()
    {
        var target = new ScriptedTarget { ActiveUsers = 3 };

        (_, RunRecord record) = await RunAsync(target, new RestartServiceRequest { Target = "demo", Service = "odoo", Force = true });

        Assert.Equal(RunOutcome.Succeeded, record.Outcome);
        Assert.Equal(1, target.Calls(nameof(RestartServiceActivity)));
    }

    [Fact]
    public async Task RunAsync_DryRun_RunsOnlyReadOnlyChecks()
    {
        var target = new ScriptedTarget();

        (_, RunRecord record) = await RunAsync(target, new RestartServiceRequest { Target = "demo", Service = "odoo", DryRun = true });

        Assert.Equal(RunOutcome.DryRun, record.Outcome);
        Assert.Equal(0, target.Calls(nameof(RestartServiceActivity)));
        Assert.Equal(0, target.Calls(nameof(VerifyStackActivity)));
        Assert.Contains(record.Steps, s => s.Status == StepStatus.Skipped && s.Summary.StartsWith("dry run", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_DryRunWithActiveUsers_ReportsThatARealRunWouldDefer()
    {
        var target = new ScriptedTarget { ActiveUsers = 2 };

        (_, RunRecord record) = await RunAsync(target, new RestartServiceRequest { Target = "demo", Service = "odoo", DryRun = true });

        Assert.Equal(RunOutcome.DryRun, record.Outcome);
        Assert.Contains("would defer: 2 active user(s)", record.Resolution, StringComparison.Ordinal);
        Assert.Equal(0, target.Calls(nameof(RestartServiceActivity)));
    }

    [Fact]
    public async Task RunAsync_HostKeyMismatch_FailsWithoutRetryAndFilesFailedLog()
    {
        var target = new ScriptedTarget { InspectFailure = new HostKeyMismatchException("Host key for demo (127.0.0.1:2222) is SHA256:abc, not the pinned SHA256:xyz — refusing to connect.") };

        (OrchestrationMetadata run, _) = await RunAsync(target, new RestartServiceRequest { Target = "demo", Service = "odoo" }, expectOutput: false);

        Assert.Equal(OrchestrationRuntimeStatus.Failed, run.RuntimeStatus);
        Assert.Contains("Host key for demo", run.FailureDetails!.ErrorMessage, StringComparison.Ordinal);
        Assert.StartsWith("Pre-restart checks failed", run.FailureDetails.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(1, target.Calls(nameof(InspectStackActivity)));
        Assert.Equal(0, target.Calls(nameof(RestartServiceActivity)));
        RunRecord filed = Assert.Single(target.FiledRecords);
        Assert.Equal(RunOutcome.Failed, filed.Outcome);
        Assert.Contains("Host key", filed.Resolution, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_TargetUnreachableOnce_RetriesAndSucceeds()
    {
        var target = new ScriptedTarget { InspectFailure = new SshUnreachableException("demo (127.0.0.1:2222): connection refused"), InspectFailuresBeforeSuccess = 1 };

        (_, RunRecord record) = await RunAsync(target, new RestartServiceRequest { Target = "demo", Service = "odoo" });

        Assert.Equal(RunOutcome.Succeeded, record.Outcome);
        Assert.Equal(2, target.Calls(nameof(InspectStackActivity)));
    }

    [Fact]
    public async Task RunAsync_WorkloadUncheckableWithoutForce_FailsClosedAndSaysHowToForce()
    {
        var target = new ScriptedTarget { WorkloadFailure = new InvalidOperationException("Connection refused (127.0.0.1:5432)") };

        (OrchestrationMetadata run, _) = await RunAsync(target, new RestartServiceRequest { Target = "demo", Service = "odoo" }, expectOutput: false);

        Assert.Equal(OrchestrationRuntimeStatus.Failed, run.RuntimeStatus);
        Assert.Contains("could not check active users", run.FailureDetails!.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("force=true", run.FailureDetails.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(0, target.Calls(nameof(RestartServiceActivity)));
    }

    [Fact]
    public async Task RunAsync_WorkloadUncheckableWithForce_RestartsAndRecordsTheUnknown()
    {
        var target = new ScriptedTarget { WorkloadFailure = new InvalidOperationException("Connection refused (127.0.0.1:5432)") };

        (_, RunRecord record) = await RunAsync(target, new RestartServiceRequest { Target = "demo", Service = "odoo", Force = true });

        Assert.Equal(RunOutcome.SucceededWithIssues, record.Outcome);
        Assert.Equal(1, target.Calls(nameof(RestartServiceActivity)));
        Assert.Contains(record.Issues, i => i.StartsWith("Active users and due cron jobs were not checked", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_DatabaseDownAfterRestart_FailsAndEscalates()
    {
        var target = new ScriptedTarget { DatabaseHealthy = false };

        (OrchestrationMetadata run, _) = await RunAsync(target, new RestartServiceRequest { Target = "demo", Service = "odoo" }, expectOutput: false);

        Assert.Equal(OrchestrationRuntimeStatus.Failed, run.RuntimeStatus);
        Assert.Contains("Database accepting connections", run.FailureDetails!.ErrorMessage, StringComparison.Ordinal);
        RunRecord filed = Assert.Single(target.FiledRecords);
        Assert.Equal(RunOutcome.Failed, filed.Outcome);
        Assert.Contains(filed.FollowUpActions, f => f.StartsWith("Escalate", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_ErrorLinesAfterRestart_SucceedsWithIssues()
    {
        var target = new ScriptedTarget { LogErrors = 2 };

        (_, RunRecord record) = await RunAsync(target, new RestartServiceRequest { Target = "demo", Service = "odoo" });

        Assert.Equal(RunOutcome.SucceededWithIssues, record.Outcome);
        Assert.Contains(record.Issues, i => i.StartsWith("No error messages in logs", StringComparison.Ordinal));
    }

    private static async Task<(OrchestrationMetadata Run, RunRecord Record)> RunAsync(ScriptedTarget target, RestartServiceRequest request, bool expectOutput = true)
    {
        await using DurableTaskTestHost host = await DurableTaskTestHost.StartAsync(registry =>
        {
            registry.AddOrchestrator<RestartServiceOrchestrator>();
            target.Register(registry);
        });

        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(RestartServiceOrchestrator), request);
        using var timeout = new CancellationTokenSource(Deadline);
        OrchestrationMetadata run = await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);
        RunRecord record = expectOutput
            ? run.ReadOutputAs<RunRecord>() ?? throw new InvalidOperationException($"run {id} has no output: {run.FailureDetails?.ErrorMessage}")
            : null!;
        return (run, record);
    }
}
