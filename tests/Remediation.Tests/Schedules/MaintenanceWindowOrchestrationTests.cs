using Microsoft.DurableTask.Client;
using Remediation.Procedures.Rollout;
using Remediation.Runs;
using Remediation.Schedules;
using Remediation.Schedules.Deferrals;
using Remediation.Tests.Procedures;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Remediation.Tests.Schedules;

/// <summary>Maintenance windows end to end on the in-memory host: the scheduler tick on a fake clock, the notice over a real webhook, the checklist, the procedure through the intake.</summary>
[Trait("Category", "Orchestration")]
public sealed class MaintenanceWindowOrchestrationTests
{
    private const string Zone = "Europe/Berlin";

    [Fact]
    public async Task Tick_WindowDueNow_SendsTheNoticeThenRunsTheChecklistAndTheProcedure()
    {
        using var receiver = new NoticeReceiver();
        await using SimulatedFleet fleet = SimulatedFleet.Named("demo");
        DateTime opened = ScheduleTestKit.CurrentMinuteUtc();
        var options = new SchedulesOptions
        {
            NoticeWebhookUrl = receiver.Url,
            RunPollInterval = TimeSpan.FromMilliseconds(200),
            MaintenanceWindows =
            {
                new MaintenanceWindowDefinition
                {
                    Name = "nightly", Cron = ScheduleTestKit.DailyCronAt(opened, Zone), TimeZone = Zone, Duration = TimeSpan.FromHours(1),
                    Procedure = "restart-service", Service = "odoo", Targets = { "demo" }, NoticeLead = TimeSpan.FromSeconds(2),
                },
            },
        };
        var calendar = new MaintenanceCalendar(options, fleet.Inventory);
        await using ProcedureHost host = await ProcedureHost.StartAsync(fleet, ScheduleTestKit.Services(options));
        var scheduler = ScheduleTestKit.Scheduler(calendar, new InMemoryOccurrenceClaims(), host.Client, ScheduleTestKit.ClockAt(DateTime.UtcNow));

        IReadOnlyList<string> fired = await scheduler.TickAsync(CancellationToken.None);

        string id = Assert.Single(fired);
        Assert.Equal($"window.nightly.{opened:yyyyMMdd'T'HHmm'Z'}", id);
        RolloutRecord rollout = await ScheduleTestKit.WaitForRolloutAsync(host.Client, id);
        Assert.Equal(RolloutOutcome.Completed, rollout.Outcome);
        PlannedRunResult result = Assert.Single(rollout.Results);
        Assert.Equal(PlannedRunOutcome.Succeeded, result.Outcome);
        Assert.Equal(
            ["Notify users of impending restart", "Check current system status", "Verify no critical operations in progress", "Fits the window: restart-service", "Run restart-service"],
            result.Checklist.Select(s => s.Name));
        Assert.All(result.Checklist, s => Assert.Equal(StepStatus.Succeeded, s.Status));

        // The notice went out first, with the window's facts; the procedure started a full lead time after it.
        (DateTime noticeAt, System.Text.Json.JsonDocument notice) = Assert.Single(receiver.Received);
        Assert.Equal("planned-maintenance", notice.RootElement.GetProperty("kind").GetString());
        Assert.Equal(id, notice.RootElement.GetProperty("id").GetString());
        Assert.Equal("demo", notice.RootElement.GetProperty("targets")[0].GetString());
        RunRecord restart = Assert.Single(host.Artifacts.Filed);
        Assert.Equal($"{id}.demo.0", restart.InstanceId);
        Assert.Equal(RunOutcome.Succeeded, restart.Outcome);
        Assert.Equal((RunTrigger.Schedule, "nightly"), (restart.Trigger!.Kind, restart.Trigger.Source));
        Assert.True(restart.StartedUtc >= noticeAt.AddSeconds(2) - TimeSpan.FromMilliseconds(50), $"restart began {restart.StartedUtc:O}, notice at {noticeAt:O}");
        Assert.Contains("restart odoo", fleet["demo"].Changes);
        Assert.Single(host.Rollouts.Filed);
    }

    [Fact]
    public async Task Tick_TwoSchedulersTickingTogether_FireEachOccurrenceOnce()
    {
        await using SimulatedFleet fleet = SimulatedFleet.Named("demo");
        DateTime opened = ScheduleTestKit.CurrentMinuteUtc();
        SchedulesOptions options = VerifyWindowOpenedAt(opened);
        var calendar = new MaintenanceCalendar(options, fleet.Inventory);
        await using ProcedureHost host = await ProcedureHost.StartAsync(fleet, ScheduleTestKit.Services(options));
        var claims = new InMemoryOccurrenceClaims();
        var clock = ScheduleTestKit.ClockAt(DateTime.UtcNow);
        var first = ScheduleTestKit.Scheduler(calendar, claims, host.Client, clock);
        var second = ScheduleTestKit.Scheduler(calendar, claims, host.Client, clock);

        // Both processes tick at once, and again and again while the window is open.
        IReadOnlyList<string>[] fired = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => (i % 2 == 0 ? first : second).TickAsync(CancellationToken.None)));
        clock.Advance(TimeSpan.FromMinutes(30));
        IReadOnlyList<string>[] later = await Task.WhenAll(first.TickAsync(CancellationToken.None), second.TickAsync(CancellationToken.None));

        string id = Assert.Single(fired.Concat(later).SelectMany(f => f));
        await ScheduleTestKit.WaitForRolloutAsync(host.Client, id);
        List<OrchestrationMetadata> rollouts = [];
        await foreach (OrchestrationMetadata instance in host.Client.GetAllInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = "window." }))
        {
            if (instance.Name == nameof(RolloutOrchestrator))
            {
                rollouts.Add(instance);
            }
        }

        Assert.Single(rollouts);
        Assert.Single(host.Rollouts.Filed);
    }

    [Fact]
    public async Task Tick_ClaimOfAClaimantThatDiedBeforeScheduling_IsTakenOverOnceItIsOld_AndTheWindowFiresOnce()
    {
        await using SimulatedFleet fleet = SimulatedFleet.Named("demo");
        DateTime opened = ScheduleTestKit.CurrentMinuteUtc();
        SchedulesOptions options = VerifyWindowOpenedAt(opened);
        var calendar = new MaintenanceCalendar(options, fleet.Inventory);
        await using ProcedureHost host = await ProcedureHost.StartAsync(fleet, ScheduleTestKit.Services(options));
        var clock = ScheduleTestKit.ClockAt(DateTime.UtcNow);
        var claims = new InMemoryOccurrenceClaims(clock);
        WindowOccurrence due = Assert.Single(calendar.DueOccurrences(clock.GetUtcNow().UtcDateTime));
        Assert.True(await claims.TryClaimAsync(due, "a-process-that-died", CancellationToken.None));
        var first = ScheduleTestKit.Scheduler(calendar, claims, host.Client, clock);
        var second = ScheduleTestKit.Scheduler(calendar, claims, host.Client, clock);

        // A young claim may be a live claimant about to schedule: left alone.
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Empty(await first.TickAsync(CancellationToken.None));

        // Past the bound, with no run of the occurrence: taken over by exactly one of two schedulers ticking together.
        clock.Advance(TimeSpan.FromMinutes(5));
        IReadOnlyList<string>[] fired = await Task.WhenAll(first.TickAsync(CancellationToken.None), second.TickAsync(CancellationToken.None));
        string id = Assert.Single(fired.SelectMany(f => f));
        Assert.Equal(due.InstanceId, id);
        Assert.NotEqual("a-process-that-died", claims.Claims[due.InstanceId]);

        // Fired once: later ticks, however old the claim, find the run and leave it.
        clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Empty(await first.TickAsync(CancellationToken.None));
        await ScheduleTestKit.WaitForRolloutAsync(host.Client, id);
        Assert.Single(host.Rollouts.Filed);
    }

    [Fact]
    public async Task Rollout_ProcedureThatWouldOverrunTheWindow_IsNotStartedAndSaysWhy()
    {
        await using SimulatedFleet fleet = SimulatedFleet.Named(stepTimeoutSeconds: 1, "demo");
        DateTime opened = ScheduleTestKit.CurrentMinuteUtc();
        var options = new SchedulesOptions
        {
            RunPollInterval = TimeSpan.FromMilliseconds(200),
            MaintenanceWindows =
            {
                // restart-service odoo may take 2 × (1 s + 1 s) + 60 s here: more than a 1-minute window has left.
                new MaintenanceWindowDefinition
                {
                    Name = "short", Cron = ScheduleTestKit.DailyCronAt(opened, "UTC"), Duration = TimeSpan.FromMinutes(1),
                    Procedure = "restart-service", Service = "odoo", Targets = { "demo" }, NoticeLead = TimeSpan.Zero,
                },
            },
        };
        var calendar = new MaintenanceCalendar(options, fleet.Inventory);
        await using ProcedureHost host = await ProcedureHost.StartAsync(fleet, ScheduleTestKit.Services(options));
        var scheduler = ScheduleTestKit.Scheduler(calendar, new InMemoryOccurrenceClaims(), host.Client, ScheduleTestKit.ClockAt(DateTime.UtcNow));

        string id = Assert.Single(await scheduler.TickAsync(CancellationToken.None));
        RolloutRecord rollout = await ScheduleTestKit.WaitForRolloutAsync(host.Client, id);

        PlannedRunResult result = Assert.Single(rollout.Results);
        Assert.Equal(PlannedRunOutcome.NotStarted, result.Outcome);
        Assert.Contains("takes at most 64 s", result.Reason, StringComparison.Ordinal);
        Assert.Contains("window ends", result.Reason, StringComparison.Ordinal);
        Assert.Equal(StepStatus.Failed, result.Checklist.Single(s => s.Name == "Fits the window: restart-service").Status);
        Assert.Empty(host.Artifacts.Filed);
        Assert.DoesNotContain(fleet["demo"].Changes, c => c.Contains("odoo", StringComparison.Ordinal));
        Assert.Contains(rollout.Failures, f => f.StartsWith("demo: NotStarted", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Freeze_AlertDuringFreeze_IsDeferredAndRunsWhenTheTargetsNextWindowOpens()
    {
        await using SimulatedFleet fleet = SimulatedFleet.Named("demo");
        DateTime opened = ScheduleTestKit.CurrentMinuteUtc();
        DateTime alertAt = opened.AddMinutes(-30);
        var options = new SchedulesOptions
        {
            RunPollInterval = TimeSpan.FromMilliseconds(200),
            FreezeWindows = { new FreezeWindowDefinition { Name = "release", From = alertAt.AddHours(-1), Until = alertAt.AddMinutes(10), Reason = "release week" } },
            MaintenanceWindows =
            {
                new MaintenanceWindowDefinition
                {
                    Name = "nightly", Cron = ScheduleTestKit.DailyCronAt(opened, Zone), TimeZone = Zone, Duration = TimeSpan.FromHours(1),
                    Procedure = "reload-nginx", Targets = { "demo" }, NoticeLead = TimeSpan.Zero,
                },
            },
        };
        var calendar = new MaintenanceCalendar(options, fleet.Inventory);
        await using ProcedureHost host = await ProcedureHost.StartAsync(fleet, ScheduleTestKit.Services(options));
        var clock = ScheduleTestKit.ClockAt(alertAt);
        var gate = new AutomaticRunGate(calendar, host.Deferred, clock, NullLogger<AutomaticRunGate>.Instance);
        var alert = new AutomaticRunRequest { Target = "demo", Procedure = "restart-service", Service = "odoo", Reason = "OdooDown firing", RequestedBy = "alertmanager", Severity = "warning", SourceFingerprint = "c0ffee" };

        AutomaticRunDecision decision = await gate.AdmitAsync(alert, CancellationToken.None);
        AutomaticRunDecision critical = await gate.AdmitAsync(alert with { Severity = "critical" }, CancellationToken.None);
        AutomaticRunDecision again = await gate.AdmitAsync(alert, CancellationToken.None);

        Assert.Equal(DecisionKind.Defer, decision.Kind);
        Assert.Equal(opened, decision.Window!.StartUtc);
        Assert.Equal(DecisionKind.Escalate, critical.Kind);
        Assert.Equal(DecisionKind.Defer, again.Kind);
        DeferredRun waiting = Assert.Single(host.Deferred.All);
        Assert.Equal("c0ffee", waiting.Request.SourceFingerprint);
        Assert.Empty(fleet["demo"].Changes);

        // The window opens: its own procedure, then the deferred one.
        clock.SetUtcNow(new DateTimeOffset(DateTime.UtcNow));
        var scheduler = ScheduleTestKit.Scheduler(calendar, new InMemoryOccurrenceClaims(), host.Client, clock);
        string id = Assert.Single(await scheduler.TickAsync(CancellationToken.None));
        RolloutRecord rollout = await ScheduleTestKit.WaitForRolloutAsync(host.Client, id);

        PlannedRunResult result = Assert.Single(rollout.Results);
        Assert.Equal(PlannedRunOutcome.Succeeded, result.Outcome);
        Assert.Collection(result.Remediations,
            own => Assert.Equal(("reload-nginx", false, true), (own.Procedure, own.Deferred, own.Succeeded)),
            deferred => Assert.Equal(("restart-service", "odoo", true, true), (deferred.Procedure, deferred.Service, deferred.Deferred, deferred.Succeeded)));
        Assert.Contains("restart odoo", fleet["demo"].Changes);
        RunRecord restart = host.Artifacts.Filed.Single(r => r.Procedure == "restart-service");
        Assert.Contains("deferred by freeze 'release'", restart.Reason, StringComparison.Ordinal);
        Assert.Equal((RunTrigger.Schedule, "nightly", "c0ffee"), (restart.Trigger!.Kind, restart.Trigger.Source, restart.Trigger.SourceFingerprint));
        Assert.Equal("alertmanager", restart.RequestedBy);
    }

    /// <summary>A one-hour window that opened at <paramref name="opened"/>: verify on demo, no notice.</summary>
    private static SchedulesOptions VerifyWindowOpenedAt(DateTime opened) => new()
    {
        RunPollInterval = TimeSpan.FromMilliseconds(200),
        MaintenanceWindows =
        {
            new MaintenanceWindowDefinition
            {
                Name = "weekly", Cron = ScheduleTestKit.DailyCronAt(opened, "UTC"), Duration = TimeSpan.FromHours(1),
                Procedure = "verify", Targets = { "demo" }, NoticeLead = TimeSpan.Zero,
            },
        },
    };
}
