using Remediation.Procedures.Rollout;
using Remediation.Schedules;
using Remediation.Tests.Procedures;
using Xunit;

namespace Remediation.Tests.Schedules;

/// <summary>The calendar's decisions: due occurrences, next windows across time zones and freezes, allow / defer / escalate, and validation.</summary>
[Trait("Category", "Unit")]
public sealed class MaintenanceCalendarTests : IAsyncLifetime
{
    private readonly SimulatedFleet _fleet = SimulatedFleet.Named(stepTimeoutSeconds: 1, "web-1", "web-2");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _fleet.DisposeAsync();

    // Sundays 02:00 Europe/Berlin, two hours; a recurring month-end freeze for web-1, a fixed freeze for every target.
    private MaintenanceCalendar Calendar(params FreezeWindowDefinition[] freezes)
    {
        var options = new SchedulesOptions
        {
            NoticeWebhookUrl = new Uri("http://127.0.0.1:9/hook"),
            MaintenanceWindows =
            {
                new MaintenanceWindowDefinition
                {
                    Name = "sunday", Cron = "0 2 * * 0", TimeZone = "Europe/Berlin", Duration = TimeSpan.FromHours(2),
                    Procedure = "restart-service", Service = "odoo", Targets = { "web-1", "web-2" }, NoticeLead = TimeSpan.FromMinutes(15),
                },
            },
        };
        foreach (FreezeWindowDefinition freeze in freezes)
        {
            options.FreezeWindows.Add(freeze);
        }

        return new MaintenanceCalendar(options, _fleet.Inventory);
    }

    private static DateTime Utc(int year, int month, int day, int hour, int minute = 0) => new(year, month, day, hour, minute, 0, DateTimeKind.Utc);

    [Fact]
    public void NextWindow_AcrossDaylightSaving_FollowsBerlinLocalTime()
    {
        MaintenanceCalendar calendar = Calendar();

        // Winter: 02:00 CET = 01:00 UTC. Summer: 02:00 CEST = 00:00 UTC. 2026-03-29 02:00 does not exist (clocks jump to 03:00).
        Assert.Equal(Utc(2026, 3, 22, 1), calendar.NextWindow("web-1", Utc(2026, 3, 20, 0))!.StartUtc);
        Assert.Equal(Utc(2026, 3, 29, 1), calendar.NextWindow("web-1", Utc(2026, 3, 23, 0))!.StartUtc);
        Assert.Equal(Utc(2026, 4, 5, 0), calendar.NextWindow("web-1", Utc(2026, 3, 30, 0))!.StartUtc);
    }

    [Fact]
    public void DueOccurrences_FromNoticeTimeUntilTheWindowCloses()
    {
        MaintenanceCalendar calendar = Calendar();
        DateTime start = Utc(2026, 12, 6, 1);

        Assert.Empty(calendar.DueOccurrences(start.AddMinutes(-16)));
        WindowOccurrence due = Assert.Single(calendar.DueOccurrences(start.AddMinutes(-15)));
        Assert.Equal((start, start.AddHours(2), start.AddMinutes(-15)), (due.StartUtc, due.EndUtc, due.NoticeUtc));
        Assert.Equal("window.sunday.20261206T0100Z", due.InstanceId);
        Assert.Single(calendar.DueOccurrences(start.AddMinutes(119)));
        Assert.Empty(calendar.DueOccurrences(start.AddHours(2)));
    }

    [Fact]
    public void Decide_NoFreeze_Allows()
    {
        Assert.Equal(DecisionKind.Allow, Calendar().Decide("web-1", AlertSeverity.NotCritical, Utc(2026, 12, 2, 12)).Kind);
    }

    [Fact]
    public void Decide_DuringFreeze_DefersToTheFirstWindowOutsideIt_OrEscalatesWhenCritical()
    {
        // Frozen from Thursday 3 Dec to Monday 7 Dec 2026: the Sunday 6 Dec window falls inside and is skipped.
        MaintenanceCalendar calendar = Calendar(new FreezeWindowDefinition
        {
            Name = "release", From = Utc(2026, 12, 3, 0), Until = Utc(2026, 12, 7, 0), Reason = "release week",
        });

        AutomaticRunDecision deferred = calendar.Decide("web-2", AlertSeverity.NotCritical, Utc(2026, 12, 4, 10));
        AutomaticRunDecision critical = calendar.Decide("web-2", calendar.SeverityOf("Sev0"), Utc(2026, 12, 4, 10));
        AutomaticRunDecision after = calendar.Decide("web-2", AlertSeverity.NotCritical, Utc(2026, 12, 7, 0));

        Assert.Equal(DecisionKind.Defer, deferred.Kind);
        Assert.Equal(Utc(2026, 12, 13, 1), deferred.Window!.StartUtc);
        Assert.Equal("release", deferred.Freeze);
        Assert.Contains("release week", deferred.Reason, StringComparison.Ordinal);
        Assert.Equal(DecisionKind.Escalate, critical.Kind);
        Assert.Equal(DecisionKind.Allow, after.Kind);
    }

    [Fact]
    public void Decide_RecurringFreezeForOneTarget_LeavesTheOtherAlone()
    {
        // Every day 08:00–18:00 Berlin, web-1 only.
        MaintenanceCalendar calendar = Calendar(new FreezeWindowDefinition
        {
            Name = "business-hours", Cron = "0 8 * * *", TimeZone = "Europe/Berlin", Duration = TimeSpan.FromHours(10), Targets = { "web-1" },
        });

        Assert.Equal(DecisionKind.Defer, calendar.Decide("web-1", AlertSeverity.NotCritical, Utc(2026, 12, 2, 12)).Kind);
        Assert.Equal(DecisionKind.Allow, calendar.Decide("web-2", AlertSeverity.NotCritical, Utc(2026, 12, 2, 12)).Kind);
        Assert.Equal(DecisionKind.Allow, calendar.Decide("web-1", AlertSeverity.NotCritical, Utc(2026, 12, 2, 17, 30)).Kind);
    }

    [Fact]
    public void Decide_FreezeWithNoWindowOutsideIt_Escalates()
    {
        MaintenanceCalendar calendar = Calendar(new FreezeWindowDefinition { Name = "forever", From = Utc(2026, 1, 1, 0), Until = Utc(2030, 1, 1, 0) });

        AutomaticRunDecision decision = calendar.Decide("web-1", AlertSeverity.NotCritical, Utc(2026, 12, 2, 12));

        Assert.Equal(DecisionKind.Escalate, decision.Kind);
        Assert.Contains("no maintenance window", decision.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0 2 * *", "Europe/Berlin", "nightly", "restart-service", "web-1", "'cron'")]
    [InlineData("0 2 * * *", "Mars/Olympus", "nightly", "restart-service", "web-1", "'timeZone'")]
    [InlineData("0 2 * * *", "UTC", "night ly", "restart-service", "web-1", "'name'")]
    [InlineData("0 2 * * *", "UTC", "nightly", "nuke", "web-1", "'procedure'")]
    [InlineData("0 2 * * *", "UTC", "nightly", "restart-service", "nowhere", "target 'nowhere'")]
    public void Calendar_BadWindow_IsRefusedNamingTheField(string cron, string zone, string name, string procedure, string target, string named)
    {
        var options = new SchedulesOptions
        {
            MaintenanceWindows = { new MaintenanceWindowDefinition { Name = name, Cron = cron, TimeZone = zone, Duration = TimeSpan.FromHours(1), Procedure = procedure, Targets = { target }, NoticeLead = TimeSpan.Zero } },
        };

        ScheduleException e = Assert.Throws<ScheduleException>(() => new MaintenanceCalendar(options, _fleet.Inventory));

        Assert.Contains(named, e.Message, StringComparison.Ordinal);
        Assert.Contains("MaintenanceWindows:0", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Calendar_NoticeWithoutWebhook_IsRefused()
    {
        var options = new SchedulesOptions
        {
            MaintenanceWindows = { new MaintenanceWindowDefinition { Name = "n", Cron = "0 2 * * *", Duration = TimeSpan.FromHours(1), Procedure = "verify", Targets = { "web-1" } } },
        };

        Assert.Contains("NoticeWebhookUrl", Assert.Throws<ScheduleException>(() => new MaintenanceCalendar(options, _fleet.Inventory)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Estimate_RestartService_IsTheWorstCaseOfItsTimeouts()
    {
        RunEstimate estimate = ProcedureDurationEstimate.For(_fleet.Inventory.GetTarget("web-1"), "restart-service", "odoo");
        RunEstimate stack = ProcedureDurationEstimate.For(_fleet.Inventory.GetTarget("web-1"), "restart-stack", null);

        Assert.Equal(64, estimate.Seconds);
        Assert.Equal(66, stack.Seconds);
        Assert.Contains("force path", estimate.Basis, StringComparison.Ordinal);
    }
}
