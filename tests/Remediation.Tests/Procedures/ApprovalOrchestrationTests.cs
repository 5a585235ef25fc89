using System.Text.Json;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging.Abstractions;
using Remediation.Activities.Database;
using Remediation.Artifacts;
using Remediation.Intake;
using Remediation.Intake.Runs;
using Remediation.Probes;
using Remediation.Procedures.RestartService;
using Remediation.Runs;
using Remediation.Runs.Approvals;
using Remediation.Runs.Plans;
using Xunit;

namespace Remediation.Tests.Procedures;

/// <summary>The approval gate in a real restart-service run, decided through <see cref="RemediationRuns"/> as both hosts do.</summary>
[Trait("Category", "Orchestration")]
public sealed class ApprovalOrchestrationTests
{
    private const string RestartOdoo = "sudo -n /usr/bin/supervisorctl restart odoo";

    [Fact]
    public async Task Approve_ByAnotherPersonWithThePlansHash_RunsThePlanAndRecordsWhoApproved()
    {
        await using var target = new SimulatedTarget();
        await using ProcedureHost host = await ProcedureHost.StartAsync(target);
        RemediationRuns runs = Runs(host, target);
        string? hash = null;

        (OrchestrationMetadata run, RunRecord? record) = await host.RunAsync<RestartServiceOrchestrator>(Request(), async id =>
        {
            ApprovalRecord awaiting = await AwaitingAsync(host.Client, id);
            hash = awaiting.PlanHash;
            Assert.Empty(target.Changes);
            RunOperationResult approved = await runs.DecideAsync(id, $"{{\"approver\":\"bob\",\"planHash\":\"{hash}\",\"comment\":\"go\"}}", approve: true, RequestCaller.Unnamed, CancellationToken.None);
            Assert.Equal(202, approved.Status);
        });

        Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
        Assert.Equal(RunOutcome.Succeeded, record!.Outcome);
        Assert.Equal(["restart odoo"], target.Changes);
        Assert.Equal(ApprovalStatus.Approved, record.Approval!.Status);
        Assert.Equal("bob", record.Approval.DecidedBy);
        Assert.Equal("alice", record.Approval.RequestedBy);
        Assert.Equal(hash, record.Approval.PlanHash);
        Assert.Equal(hash, record.Plan!.Hash);
        Assert.Equal(["Pre-restart checks", "Approval", "Graceful restart", "Post-restart verification", "Restart log"], record.Steps.Select(s => s.Name));
        Assert.Contains("**Approval**: approved by bob", host.Artifacts.LastRestartLog, StringComparison.Ordinal);
        Assert.Contains("requested by alice", host.Artifacts.LastRestartLog, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reject_EndsTheRunNotApprovedWithNothingChanged()
    {
        await using var target = new SimulatedTarget();
        await using ProcedureHost host = await ProcedureHost.StartAsync(target);
        RemediationRuns runs = Runs(host, target);

        (OrchestrationMetadata run, RunRecord? record) = await host.RunAsync<RestartServiceOrchestrator>(Request(), async id =>
        {
            await AwaitingAsync(host.Client, id);
            RunOperationResult rejected = await runs.DecideAsync(id, "{\"approver\":\"carol\",\"comment\":\"not during month-end\"}", approve: false, RequestCaller.Unnamed, CancellationToken.None);
            Assert.Equal(202, rejected.Status);
        });

        Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
        Assert.Equal(RunOutcome.NotApproved, record!.Outcome);
        Assert.Empty(target.Changes);
        Assert.Equal(ApprovalStatus.Rejected, record.Approval!.Status);
        Assert.Equal("carol", record.Approval.DecidedBy);
        Assert.Contains("rejected by carol", record.Resolution, StringComparison.Ordinal);
        Assert.DoesNotContain(record.Steps, s => s.Name == "Graceful restart");
        Assert.Null(host.Locks.HolderOf(SimulatedTarget.Name));
    }

    [Fact]
    public async Task NoDecision_TimesOutOnTheDurableTimerAndAborts()
    {
        await using var target = new SimulatedTarget();
        await using ProcedureHost host = await ProcedureHost.StartAsync(target);

        (OrchestrationMetadata run, RunRecord? record) = await host.RunAsync<RestartServiceOrchestrator>(Request(timeoutSeconds: 1));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
        Assert.Equal(RunOutcome.NotApproved, record!.Outcome);
        Assert.Equal(ApprovalStatus.TimedOut, record.Approval!.Status);
        Assert.Empty(target.Changes);
        StepRecord approval = record.Steps.Single(s => s.Name == "Approval");
        Assert.Equal(StepStatus.Failed, approval.Status);
        Assert.InRange(approval.DurationMs!.Value, 900, 10_000);
        Assert.Null(host.Locks.HolderOf(SimulatedTarget.Name));
    }

    [Fact]
    public async Task SelfApprovalAndWrongHash_AreRefusedByTheApiAndByTheRun()
    {
        await using var target = new SimulatedTarget();
        await using ProcedureHost host = await ProcedureHost.StartAsync(target);
        RemediationRuns runs = Runs(host, target);

        (_, RunRecord? record) = await host.RunAsync<RestartServiceOrchestrator>(Request(), async id =>
        {
            string hash = (await AwaitingAsync(host.Client, id)).PlanHash;

            RunOperationResult self = await runs.DecideAsync(id, $"{{\"approver\":\"Alice\",\"planHash\":\"{hash}\"}}", approve: true, RequestCaller.Unnamed, CancellationToken.None);
            Assert.Equal(403, self.Status);
            Assert.Contains("cannot approve it", self.Error, StringComparison.Ordinal);

            RunOperationResult named = await runs.DecideAsync(id, $"{{\"approver\":\"bob\",\"planHash\":\"{hash}\"}}", approve: true, new RequestCaller("alice", ApiRoles.All), CancellationToken.None);
            Assert.Equal(403, named.Status);

            RunOperationResult stale = await runs.DecideAsync(id, "{\"approver\":\"bob\",\"planHash\":\"0123456789abcdef\"}", approve: true, RequestCaller.Unnamed, CancellationToken.None);
            Assert.Equal(409, stale.Status);
            Assert.Equal(hash, stale.Extensions!["planHash"]);

            RunOperationResult viaEvents = await runs.RaiseEventAsync(id, Run.ApproveEvent, $"{{\"approver\":\"bob\",\"planHash\":\"{hash}\"}}", RequestCaller.Unnamed, CancellationToken.None);
            Assert.Equal(409, viaEvents.Status);

            // Past the API, straight onto the task hub: the run applies the same rules and keeps waiting.
            await host.Client.RaiseEventAsync(id, Run.ApproveEvent, new ApprovalDecision("alice", hash));
            await host.Client.RaiseEventAsync(id, Run.ApproveEvent, new ApprovalDecision("bob", "feedface"));
            await Task.Delay(300);
            Assert.Empty(target.Changes);
            Assert.Equal(2, (await AwaitingAsync(host.Client, id)).Refused.Count);

            Assert.Equal(202, (await runs.DecideAsync(id, $"{{\"planHash\":\"{hash}\"}}", approve: true, new RequestCaller("bob", ApiRoles.All), CancellationToken.None)).Status);
        });

        Assert.Equal(RunOutcome.Succeeded, record!.Outcome);
        Assert.Equal("bob", record.Approval!.DecidedBy);
        Assert.Equal(2, record.Approval.Refused.Count);
        Assert.Contains(record.Approval.Refused, r => r.Contains("alice requested this run and cannot approve it", StringComparison.Ordinal));
        Assert.Contains(record.Approval.Refused, r => r.Contains("named plan feedface", StringComparison.Ordinal));
        Assert.Equal(["restart odoo"], target.Changes);
    }

    [Fact]
    public async Task ForcedPastActiveUsers_WaitsForApprovalEvenWithoutARule()
    {
        await using var target = new SimulatedTarget();
        var busy = new WorkloadReport(true, "3 active user(s)") { Users = new ActiveUsers(3, 1, 3) };
        await using ProcedureHost host = await ProcedureHost.StartAsync(target, new ProcedureHost.ScriptedWorkload(Report: busy));
        RestartServiceRequest forced = Request() with { Force = true, Approval = new ApprovalTerms { WhenForcedPastBlockers = true, TimeoutSeconds = 30 } };

        (_, RunRecord? record) = await host.RunAsync<RestartServiceOrchestrator>(forced, async id =>
        {
            ApprovalRecord awaiting = await AwaitingAsync(host.Client, id);
            Assert.StartsWith("force goes past:", awaiting.Why, StringComparison.Ordinal);
            await host.Client.RaiseEventAsync(id, Run.RejectEvent, new ApprovalDecision("bob"));
        });

        Assert.Equal(RunOutcome.NotApproved, record!.Outcome);
        Assert.Empty(target.Changes);
    }

    [Fact]
    public async Task DryRun_ReturnsThePlanWithCommandsDowntimeAndChecks_AndWaitsForNobody()
    {
        await using var target = new SimulatedTarget();
        await using ProcedureHost host = await ProcedureHost.StartAsync(target);

        (_, RunRecord? record) = await host.RunAsync<RestartServiceOrchestrator>(Request() with { DryRun = true });

        Assert.Equal(RunOutcome.DryRun, record!.Outcome);
        Assert.Empty(target.Changes);
        Assert.Null(record.Approval);
        Assert.Contains("would wait for approval", record.Resolution, StringComparison.Ordinal);
        RunPlan plan = record.Plan!;
        Assert.Equal(["odoo"], plan.Services);
        Assert.Equal([RestartOdoo], plan.Steps[0].Commands);
        PlannedStep force = plan.Steps.Single(s => s.Name == "Force restart of odoo");
        Assert.Contains("sudo -n /usr/bin/supervisorctl stop odoo", force.Commands);
        Assert.Contains("/usr/bin/pgrep -a -u odoo -f odoo-bin", force.Commands);
        Assert.NotNull(force.When);
        Assert.NotNull(plan.ExpectedDowntime.UpToSeconds);
        Assert.Contains("not a measured figure", plan.ExpectedDowntime.Basis, StringComparison.Ordinal);
        Assert.Contains(plan.Checks, c => c.Contains("odoo", StringComparison.Ordinal));
        Assert.Matches("^[0-9a-f]{64}$", plan.Hash);
        Assert.Equal(plan.Hash, Remediation.Activities.Runs.PlanRunActivity.HashOf(plan));
        Assert.Contains("### Plan", host.Artifacts.LastRestartLog, StringComparison.Ordinal);
    }

    private static RestartServiceRequest Request(int timeoutSeconds = 30) => new()
    {
        Target = SimulatedTarget.Name,
        Service = "odoo",
        Reason = "unresponsive",
        RequestedBy = "alice",
        Approval = new ApprovalTerms { Required = true, WhenForcedPastBlockers = true, TimeoutSeconds = timeoutSeconds, Why = "test policy" },
    };

    private static RemediationRuns Runs(ProcedureHost host, SimulatedTarget target) => new(
        host.Client,
        new RemediationIntake(host.Client, target.Inventory, TimeProvider.System, NullLogger<RemediationIntake>.Instance, host.Artifacts, host.Locks),
        NullLogger<RemediationRuns>.Instance);

    /// <summary>Polls the run's progress until it shows an approval awaiting a decision.</summary>
    internal static async Task<ApprovalRecord> AwaitingAsync(DurableTaskClient client, string id)
    {
        DateTime giveUp = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < giveUp)
        {
            OrchestrationMetadata? run = await client.GetInstanceAsync(id, getInputsAndOutputs: true);
            if (run?.SerializedCustomStatus is { } status
                && JsonSerializer.Deserialize<RunProgress>(status, RecordJson.Options)?.Approval is { Status: ApprovalStatus.Awaiting } awaiting)
            {
                return awaiting;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"run {id} never showed an approval awaiting a decision");
    }
}
