using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Remediation.Intake;
using Remediation.Intake.Rollouts;
using Remediation.Procedures.Rollout;
using Remediation.Schedules;
using Remediation.Tests.Procedures;
using Xunit;

namespace Remediation.Tests.Schedules;

/// <summary>Fleet rollouts: four simulated targets, two at a time, one broken (its host key does not match); the threshold decides.</summary>
[Trait("Category", "Orchestration")]
public sealed class FleetRolloutOrchestrationTests
{
    private static readonly string[] Targets = ["web-1", "web-2", "web-3", "web-4"];

    [Fact]
    public async Task Rollout_FourTargetsTwoAtATimeOneBroken_NoFailureTolerated_StopsAndNamesIt()
    {
        (RolloutRecord rollout, SimulatedFleet fleet, ProcedureHost host) = await RollOutAsync(maxFailures: 0);
        await using (fleet)
        await using (host)
        {
            Assert.Equal(RolloutOutcome.Stopped, rollout.Outcome);
            Assert.Equal(PlannedRunOutcome.Succeeded, rollout.Results[0].Outcome);
            Assert.Equal(PlannedRunOutcome.Failed, rollout.Results[1].Outcome);
            Assert.Contains("not the pinned", rollout.Results[1].Reason, StringComparison.Ordinal);
            Assert.All(rollout.Results.Skip(2), r => Assert.Equal(PlannedRunOutcome.NotStarted, r.Outcome));
            Assert.Equal(3, rollout.Failures.Count);
            Assert.StartsWith("web-2: Failed", rollout.Failures[0], StringComparison.Ordinal);
            Assert.Contains("stopped", rollout.Summary, StringComparison.Ordinal);

            // Nothing was started after the threshold: web-3 and web-4 were never touched.
            Assert.Contains("restart odoo", fleet["web-1"].Changes);
            Assert.Empty(fleet["web-3"].Changes);
            Assert.Empty(fleet["web-4"].Changes);
            Assert.Equal(0, fleet["web-3"].Connects);
            Assert.True(rollout.PeakConcurrency <= 2);
            Assert.Single(host.Rollouts.Filed);
        }
    }

    [Fact]
    public async Task Rollout_FourTargetsTwoAtATimeOneBroken_OneFailureTolerated_TriesEveryTarget()
    {
        (RolloutRecord rollout, SimulatedFleet fleet, ProcedureHost host) = await RollOutAsync(maxFailures: 1);
        await using (fleet)
        await using (host)
        {
            Assert.Equal(RolloutOutcome.CompletedWithFailures, rollout.Outcome);
            Assert.Equal([PlannedRunOutcome.Succeeded, PlannedRunOutcome.Failed, PlannedRunOutcome.Succeeded, PlannedRunOutcome.Succeeded], rollout.Results.Select(r => r.Outcome));
            Assert.Equal("web-2", Assert.Single(rollout.Failures)[..5]);
            foreach (string target in new[] { "web-1", "web-3", "web-4" })
            {
                Assert.Contains("restart odoo", fleet[target].Changes);
            }

            Assert.Equal(2, rollout.PeakConcurrency);
            Assert.Equal(3, host.Artifacts.Filed.Count);
        }
    }

    [Fact]
    public async Task RolloutIntake_BadRequests_AreRefusedAndNothingIsScheduled()
    {
        await using SimulatedFleet fleet = SimulatedFleet.Named(Targets);
        await using ProcedureHost host = await ProcedureHost.StartAsync(fleet);
        RolloutIntake intake = Intake(fleet, host);

        Assert.Equal(400, (await intake.StartAsync("{\"procedure\":\"restart-service\",\"service\":\"odoo\"}", CancellationToken.None)).ErrorStatus);
        Assert.Equal(400, (await intake.StartAsync("{\"procedure\":\"restart-service\",\"targets\":[\"web-1\"],\"bogus\":1}", CancellationToken.None)).ErrorStatus);
        Assert.Equal(404, (await intake.StartAsync("{\"procedure\":\"restart-service\",\"service\":\"odoo\",\"targets\":[\"web-1\",\"nowhere\"]}", CancellationToken.None)).ErrorStatus);
        Assert.Equal(422, (await intake.StartAsync("{\"procedure\":\"restart-service\",\"service\":\"odoo\",\"targets\":[\"web-1\",\"web-1\"]}", CancellationToken.None)).ErrorStatus);
        Assert.Equal(422, (await intake.StartAsync("{\"procedure\":\"restart-service\",\"service\":\"odoo\",\"targets\":[\"web-1\"],\"maxConcurrency\":0}", CancellationToken.None)).ErrorStatus);
        Assert.Equal(422, (await intake.StartAsync("{\"procedure\":\"nuke\",\"targets\":[\"web-1\"]}", CancellationToken.None)).ErrorStatus);
        var limited = new RequestCaller("ops-nginx", ApiRoles.All, ["reload-nginx"]);
        Assert.Equal(403, (await intake.StartAsync("{\"procedure\":\"restart-service\",\"service\":\"odoo\",\"targets\":[\"web-1\"]}", limited, CancellationToken.None)).ErrorStatus);

        await foreach (var instance in host.Client.GetAllInstancesAsync())
        {
            Assert.Fail($"nothing should be scheduled, found {instance.InstanceId}");
        }
    }

    private static async Task<(RolloutRecord, SimulatedFleet, ProcedureHost)> RollOutAsync(int maxFailures)
    {
        SimulatedFleet fleet = SimulatedFleet.Named(Targets);
        fleet["web-2"].HostKeyMismatch = true;
        ProcedureHost host = await ProcedureHost.StartAsync(fleet);
        IntakeResult started = await Intake(fleet, host).StartAsync(
            $$"""{"procedure":"restart-service","service":"odoo","targets":["web-1","web-2","web-3","web-4"],"maxConcurrency":2,"maxFailures":{{maxFailures}},"reason":"patch day","requestedBy":"alice"}""",
            CancellationToken.None);
        Assert.True(started.Accepted, started.Error);
        return (await ScheduleTestKit.WaitForRolloutAsync(host.Client, started.InstanceId!), fleet, host);
    }

    private static RolloutIntake Intake(SimulatedFleet fleet, ProcedureHost host) => new(
        new RemediationIntake(host.Client, fleet.Inventory, TimeProvider.System, NullLogger<RemediationIntake>.Instance, host.Artifacts, host.Locks),
        host.Client,
        TimeProvider.System,
        Options.Create(new SchedulesOptions { RunPollInterval = TimeSpan.FromMilliseconds(200) }),
        NullLogger<RolloutIntake>.Instance);
}
