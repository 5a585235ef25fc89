using System.Text.Json;
using Microsoft.DurableTask.Client;
using Remediation.Intake.Alerts;
using Remediation.Intake.Budget;
using Remediation.Notifications;
using Remediation.Procedures;
using Remediation.Runs;
using Remediation.Runs.Approvals;
using Remediation.Schedules;
using Remediation.Schedules.Deferrals;
using Remediation.Tests.Schedules;
using Remediation.Tests.Notifications;
using Remediation.Tests.Procedures;
using Microsoft.Extensions.Time.Testing;
using Remediation.Intake.Escalations;
using Xunit;

namespace Remediation.Tests.Intake.Alerts;

/// <summary>Alerts in each vendor's payload through the real intake to the real procedures on a simulated target.</summary>
[Trait("Category", "Orchestration")]
public sealed class AlertIntakeOrchestrationTests
{
    [Theory]
    [InlineData(AlertSource.Alertmanager, "alertmanager-firing", "restart-service", "c6eadffa33fcdf37", new[] { "restart odoo" })]
    [InlineData(AlertSource.Grafana, "grafana-firing", "restart-postgresql", "a1b2c3d4e5f60718", new[] { "stop nginx", "stop odoo", "restart postgresql", "start odoo", "start nginx" })]
    [InlineData(AlertSource.AzureMonitor, "azure-metric-fired", "restart-service", "/subscriptions/11111111-2222-3333-4444-555555555555/providers/Microsoft.AlertsManagement/alerts/b9569717-bc32-442f-add5-83a997729330", new[] { "restart odoo" })]
    [InlineData(AlertSource.AzureMonitor, "azure-log-v2-fired", "restart-postgresql", "/subscriptions/11111111-2222-3333-4444-555555555555/providers/Microsoft.AlertsManagement/alerts/12345678-1234-1234-1234-1234567890ab", new[] { "stop nginx", "stop odoo", "restart postgresql", "start odoo", "start nginx" })]
    [InlineData(AlertSource.AzureMonitor, "azure-log-analytics-legacy-fired", "reload-nginx", "/subscriptions/11111111-2222-3333-4444-555555555555/providers/Microsoft.AlertsManagement/alerts/aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e", new[] { "signal HUP nginx" })]
    public async Task ReceiveAsync_EachFormat_RunsTheRuleProcedureOnTheTargetAndRecordsTheAlert(string source, string payload, string procedure, string fingerprint, string[] changes)
    {
        await using AlertHarness harness = await AlertHarness.StartAsync();

        AlertIntakeResult result = await harness.PostAsync(source, AlertPayloads.Read(payload));

        Assert.Equal(202, result.Status);
        AlertOutcome outcome = Assert.Single(result.Receipt!.Alerts);
        Assert.Equal(AlertOutcome.Started, outcome.Action);
        Assert.Equal(procedure, outcome.Procedure);
        Assert.Equal("demo", outcome.Target);
        bool needsApproval = procedure == ProcedureNames.RestartPostgresql;   // the default policy: alert-triggered restart-postgresql
        if (needsApproval)
        {
            ApprovalRecord awaiting = await ApprovalOrchestrationTests.AwaitingAsync(harness.Client, outcome.RunId!);
            Assert.Empty(harness.Target.Changes);
            Assert.Contains("alert-triggered restart-postgresql", awaiting.Why, StringComparison.Ordinal);
            await harness.Client.RaiseEventAsync(outcome.RunId!, Run.ApproveEvent, new ApprovalDecision("bob", awaiting.PlanHash, "go"));
        }

        (OrchestrationMetadata run, RunRecord? record) = await harness.CompletionAsync(outcome.RunId!);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
        Assert.Equal(procedure, record!.Procedure);
        Assert.Equal(needsApproval ? ApprovalStatus.Approved : null, record.Approval?.Status);
        Assert.Equal("demo", record.Target);
        Assert.Contains(record.Outcome, new[] { RunOutcome.Succeeded, RunOutcome.SucceededWithIssues });
        Assert.Equal(changes, harness.Target.Changes);
        Assert.False(record.Force);
        Assert.Equal(RunTrigger.Alert, record.Trigger!.Kind);
        Assert.Equal(source, record.Trigger.Source);
        Assert.Equal(fingerprint, record.Trigger.SourceFingerprint);
        Assert.Equal($"{source} alert", record.RequestedBy);
        Assert.Contains("- Trigger: alert from " + source, harness.Host.Artifacts.LastRestartLog, StringComparison.Ordinal);
        Assert.Same(result.Receipt, Assert.Single(harness.Receipts.All));
    }

    [Fact]
    public async Task ReceiveAsync_ActivityLogAlert_IsIgnoredAsInformationalAndRecordedWithoutARun()
    {
        await using AlertHarness harness = await AlertHarness.StartAsync();

        AlertIntakeResult result = await harness.PostAsync(AlertSource.AzureMonitor, AlertPayloads.Read("azure-activity-log-fired"));

        Assert.Equal(202, result.Status);
        AlertOutcome outcome = Assert.Single(result.Receipt!.Alerts);
        Assert.Equal(AlertOutcome.Ignored, outcome.Action);
        Assert.Equal("azure-vm", outcome.RoutingRule);
        Assert.Contains("informational", outcome.Reason, StringComparison.Ordinal);
        Assert.Null(outcome.RunId);
        Assert.Empty(await ScheduledAsync(harness));
        Assert.Equal(AlertOutcome.Ignored, Assert.Single(Assert.Single(harness.Receipts.All).Alerts).Action);
    }

    [Fact]
    public async Task ReceiveAsync_NoRuleMatches_Answers202AndRecordsIgnoredWithReason()
    {
        await using AlertHarness harness = await AlertHarness.StartAsync(rules: []);

        AlertIntakeResult result = await harness.PostAsync(AlertSource.Alertmanager, AlertPayloads.Read("alertmanager-firing"));

        Assert.Equal(202, result.Status);
        AlertOutcome outcome = Assert.Single(Assert.Single(harness.Receipts.All).Alerts);
        Assert.Equal(AlertOutcome.Ignored, outcome.Action);
        Assert.StartsWith("no routing rule matches", outcome.Reason, StringComparison.Ordinal);
        Assert.Equal("c6eadffa33fcdf37", outcome.SourceFingerprint);
        Assert.Empty(await ScheduledAsync(harness));
    }

    [Fact]
    public async Task ReceiveAsync_MixedGroup_FiringAlertStartsItsRunAndResolvedOneIsRecorded()
    {
        AlertRoutingRule disk = new() { Name = "disk", AlertRule = "DiskAlmostFull", TargetLabel = "target", Procedure = "restart-stack" };
        await using AlertHarness harness = await AlertHarness.StartAsync([.. AlertHarness.SampleRules(), disk]);

        AlertIntakeResult result = await harness.PostAsync(AlertSource.Alertmanager, AlertPayloads.Read("alertmanager-mixed"));

        Assert.Equal(2, result.Receipt!.Alerts.Count);
        AlertOutcome nginx = result.Receipt.Alerts[0];
        Assert.Equal((AlertOutcome.Started, "reload-nginx", "firing"), (nginx.Action, nginx.Procedure, nginx.Status));
        AlertOutcome resolved = result.Receipt.Alerts[1];
        Assert.Equal((AlertOutcome.Ignored, "resolved"), (resolved.Action, resolved.Status));
        Assert.Contains("nothing to cancel", resolved.Reason, StringComparison.Ordinal);
        (_, RunRecord? record) = await harness.CompletionAsync(nginx.RunId!);
        Assert.Equal(["restart nginx"], harness.Target.Changes);
        Assert.NotNull(record);
    }

    [Fact]
    public async Task ReceiveAsync_ResolvedWhileWaitingToAct_CancelsTheRunBeforeAnySideEffect()
    {
        await using AlertHarness harness = await AlertHarness.StartAsync(AlertHarness.SampleRules(holdSeconds: 5));

        AlertIntakeResult fired = await harness.PostAsync(AlertSource.Alertmanager, AlertPayloads.Read("alertmanager-firing"));
        string id = Assert.Single(fired.Receipt!.Alerts).RunId!;
        AlertIntakeResult resolved = await harness.PostAsync(AlertSource.Alertmanager, AlertPayloads.Read("alertmanager-resolved"));

        Assert.Equal(AlertOutcome.CancelRequested, Assert.Single(resolved.Receipt!.Alerts).Action);
        Assert.Equal(id, resolved.Receipt.Alerts[0].RunId);
        (_, RunRecord? record) = await harness.CompletionAsync(id);
        Assert.Equal(RunOutcome.Cancelled, record!.Outcome);
        Assert.Contains("nothing had been changed", record.Resolution, StringComparison.Ordinal);
        Assert.Empty(harness.Target.Changes);
        Assert.DoesNotContain(harness.Target.Commands, c => c.Contains("restart", StringComparison.Ordinal));
        Assert.Equal("Wait while the alert keeps firing", record.Steps[0].Name);
        Assert.Null(harness.Host.Locks.HolderOf("demo"));
    }

    [Fact]
    public async Task ReceiveAsync_StillFiringAfterTheWait_Acts()
    {
        await using AlertHarness harness = await AlertHarness.StartAsync(AlertHarness.SampleRules(holdSeconds: 1));

        AlertIntakeResult fired = await harness.PostAsync(AlertSource.Alertmanager, AlertPayloads.Read("alertmanager-firing"));

        (_, RunRecord? record) = await harness.CompletionAsync(Assert.Single(fired.Receipt!.Alerts).RunId!);
        Assert.Equal(["restart odoo"], harness.Target.Changes);
        Assert.StartsWith("still firing after 1 s", record!.Steps[0].Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReceiveAsync_HundredDuplicatesAtOnce_OneRunOneRestartNinetyNineAttached()
    {
        await using AlertHarness harness = await AlertHarness.StartAsync(AlertHarness.SampleRules(holdSeconds: 2));
        string payload = AlertPayloads.Read("alertmanager-firing");

        AlertIntakeResult[] results = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Task.Run(() => harness.PostAsync(AlertSource.Alertmanager, payload))));

        AlertOutcome[] outcomes = [.. results.Select(r => Assert.Single(r.Receipt!.Alerts))];
        AlertOutcome started = Assert.Single(outcomes, o => o.Action == AlertOutcome.Started);
        Assert.Equal(99, outcomes.Count(o => o.Action == AlertOutcome.Attached && o.RunId == started.RunId));
        (_, RunRecord? record) = await harness.CompletionAsync(started.RunId!);
        Assert.Equal(99, record!.AttachedAlerts);
        Assert.Equal(Remediation.Runs.Run.MaxAttachmentsListed, record.Attachments.Count);
        Assert.All(record.Attachments, a => Assert.Equal("c6eadffa33fcdf37", a.SourceFingerprint));
        Assert.Equal(["restart odoo"], harness.Target.Changes);
        Assert.Single(await ScheduledAsync(harness));
        Assert.Contains("Alerts attached while the run was in progress: 99", harness.Host.Artifacts.LastRestartLog, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReceiveAsync_AlertTriggeredRestartPostgresql_WaitsForApprovalAndNotifiesTheReceiver()
    {
        await using var receiver = new NotificationReceiver();
        var notifications = new NotificationOptions { FirstRetryDelay = TimeSpan.FromMilliseconds(50) };
        notifications.Channels.Add(new NotificationChannelOptions { Name = "approvers", Url = receiver.Url, Format = NotificationFormat.Json });
        await using AlertHarness harness = await AlertHarness.StartAsync(notifications: notifications);

        AlertIntakeResult result = await harness.PostAsync(AlertSource.Grafana, AlertPayloads.Read("grafana-firing"));

        string id = Assert.Single(result.Receipt!.Alerts).RunId!;
        ApprovalRecord awaiting = await ApprovalOrchestrationTests.AwaitingAsync(harness.Client, id);
        string body = Assert.Single(await receiver.WaitForAsync(1, TimeSpan.FromSeconds(15)));
        using JsonDocument json = JsonDocument.Parse(body);
        Assert.Equal("ApprovalRequest", json.RootElement.GetProperty("kind").GetString());
        Assert.Equal(id, json.RootElement.GetProperty("runId").GetString());
        Assert.Contains(awaiting.PlanHash, body, StringComparison.Ordinal);
        Assert.Empty(harness.Target.Changes);
        await harness.Client.RaiseEventAsync(id, Run.RejectEvent, new ApprovalDecision("bob", "", "not now"));
        (_, RunRecord? record) = await harness.CompletionAsync(id);
        Assert.Equal(RunOutcome.NotApproved, record!.Outcome);
        Assert.Empty(harness.Target.Changes);
        Assert.Contains(record.Notifications, d => d.Kind == NotificationKind.ApprovalRequest && d.Delivered);
    }

    [Fact]
    public async Task ReceiveAsync_ResolvedWhileAwaitingApproval_CancelsTheRunWithoutAnyChange()
    {
        await using AlertHarness harness = await AlertHarness.StartAsync();
        AlertIntakeResult fired = await harness.PostAsync(AlertSource.Grafana, AlertPayloads.Read("grafana-firing"));
        string id = Assert.Single(fired.Receipt!.Alerts).RunId!;
        await ApprovalOrchestrationTests.AwaitingAsync(harness.Client, id);

        AlertIntakeResult resolved = await harness.PostAsync(AlertSource.Grafana, AlertPayloads.Read("grafana-resolved"));

        Assert.Equal((AlertOutcome.CancelRequested, id), (Assert.Single(resolved.Receipt!.Alerts).Action, resolved.Receipt.Alerts[0].RunId));
        (_, RunRecord? record) = await harness.CompletionAsync(id);
        Assert.Equal(RunOutcome.Cancelled, record!.Outcome);
        Assert.Contains("nothing had been changed", record.Resolution, StringComparison.Ordinal);
        StepRecord approval = Assert.Single(record.Steps, s => s.Name == ApprovalGate.StepName);
        Assert.Equal(StepStatus.Failed, approval.Status);
        Assert.Contains("the alert resolved while awaiting approval", approval.Summary, StringComparison.Ordinal);
        Assert.Empty(harness.Target.Changes);
        Assert.Null(harness.Host.Locks.HolderOf("demo"));
    }

    [Fact]
    public async Task ReceiveAsync_BudgetExhausted_EscalatesWithoutRestartAndNotifiesTheReceiver()
    {
        await using var receiver = new NotificationReceiver(failFirst: 1);
        var notifications = new NotificationOptions { FirstRetryDelay = TimeSpan.FromMilliseconds(50) };
        notifications.Channels.Add(new NotificationChannelOptions { Name = "on-call", Url = receiver.Url, Format = NotificationFormat.Json });
        await using AlertHarness harness = await AlertHarness.StartAsync(budget: new RestartBudgetOptions { MaxRestarts = 1 }, notifications: notifications);

        AlertIntakeResult first = await harness.PostAsync(AlertSource.Alertmanager, AlertPayloads.Read("alertmanager-firing"));
        await harness.CompletionAsync(Assert.Single(first.Receipt!.Alerts).RunId!);
        AlertIntakeResult second = await harness.PostAsync(AlertSource.Alertmanager, AlertPayloads.Read("alertmanager-firing"));

        AlertOutcome escalated = Assert.Single(second.Receipt!.Alerts);
        Assert.Equal(AlertOutcome.Escalated, escalated.Action);
        Assert.Contains("restart budget exhausted: odoo was restarted 1 time(s) in the last 60 min (limit 1)", escalated.Reason, StringComparison.Ordinal);
        (_, RunRecord? record) = await harness.CompletionAsync(escalated.RunId!);
        Assert.Equal(RunOutcome.Escalated, record!.Outcome);
        Assert.Contains("fired again", record.Resolution, StringComparison.Ordinal);
        Assert.Equal(["restart odoo"], harness.Target.Changes);
        NotificationDelivery delivery = Assert.Single(record.Notifications);
        Assert.True(delivery.Delivered);
        Assert.Equal(("on-call", 2), (delivery.Channel, delivery.Attempts));
        string body = Assert.Single(await receiver.WaitForAsync(1, TimeSpan.FromSeconds(15)));
        using JsonDocument json = JsonDocument.Parse(body);
        Assert.Equal("Escalation", json.RootElement.GetProperty("kind").GetString());
        Assert.Equal("demo", json.RootElement.GetProperty("target").GetString());
        Assert.Equal(escalated.RunId, json.RootElement.GetProperty("runId").GetString());
        Assert.True(harness.Budget.LedgerOf("demo")!.Restarts.Single().FailedRemediation);
        Assert.Null(harness.Host.Locks.HolderOf("demo"));

        // The alert repeats: it is counted on the escalation, and nobody is paged twice for it.
        AlertIntakeResult third = await harness.PostAsync(AlertSource.Alertmanager, AlertPayloads.Read("alertmanager-firing"));
        AlertOutcome repeat = Assert.Single(third.Receipt!.Alerts);
        Assert.Equal((AlertOutcome.Escalated, escalated.RunId), (repeat.Action, repeat.RunId));
        Assert.Contains($"already escalated by run {escalated.RunId}", repeat.Reason, StringComparison.Ordinal);
        Assert.Contains("(repeat 1)", repeat.Reason, StringComparison.Ordinal);
        await Task.Delay(500);
        Assert.Single(receiver.Bodies);
        Assert.Equal(["restart odoo"], harness.Target.Changes);
    }

    [Fact]
    public async Task ReceiveAsync_DuringAFreeze_WarningIsDeferredToTheNextWindowAndCriticalIsEscalated()
    {
        DateTime now = DateTime.UtcNow;
        DateTime windowOpens = ScheduleTestKit.CurrentMinuteUtc().AddHours(2);
        var schedules = new SchedulesOptions
        {
            FreezeWindows = { new FreezeWindowDefinition { Name = "release", From = now.AddHours(-1), Until = now.AddHours(1), Reason = "release week" } },
            MaintenanceWindows =
            {
                new MaintenanceWindowDefinition
                {
                    Name = "nightly", Cron = ScheduleTestKit.DailyCronAt(windowOpens, "Europe/Berlin"), TimeZone = "Europe/Berlin", Duration = TimeSpan.FromHours(1),
                    Procedure = "reload-nginx", Targets = { "demo" }, NoticeLead = TimeSpan.Zero,
                },
            },
        };
        await using AlertHarness harness = await AlertHarness.StartAsync(schedules: schedules);
        string warning = AlertPayloads.Read("alertmanager-firing").Replace("\"severity\": \"critical\"", "\"severity\": \"warning\"", StringComparison.Ordinal);

        AlertIntakeResult deferred = await harness.PostAsync(AlertSource.Alertmanager, warning);
        AlertIntakeResult critical = await harness.PostAsync(AlertSource.Alertmanager, AlertPayloads.Read("alertmanager-firing"));

        AlertOutcome waiting = Assert.Single(deferred.Receipt!.Alerts);
        Assert.Equal(AlertOutcome.Deferred, waiting.Action);
        Assert.Null(waiting.RunId);
        Assert.Contains("deferred to maintenance window 'nightly'", waiting.Reason, StringComparison.Ordinal);
        DeferredRun recorded = Assert.Single(harness.Host.Deferred.All);
        Assert.Equal(("demo", "restart-service", "odoo", "release", windowOpens), (recorded.Target, recorded.Request.Procedure, recorded.Request.Service, recorded.Freeze, recorded.WindowStartUtc));
        Assert.Equal("c6eadffa33fcdf37", recorded.Request.SourceFingerprint);
        AlertOutcome escalated = Assert.Single(critical.Receipt!.Alerts);
        Assert.Equal(AlertOutcome.Escalated, escalated.Action);
        Assert.Contains("the alert is critical", escalated.Reason, StringComparison.Ordinal);
        (_, RunRecord? record) = await harness.CompletionAsync(escalated.RunId!);
        Assert.Equal(RunOutcome.Escalated, record!.Outcome);
        Assert.Empty(harness.Target.Changes);
    }

    [Fact]
    public async Task ReceiveAsync_NotificationReceiverDown_EscalationStillFiledWithTheFailedDelivery()
    {
        var notifications = new NotificationOptions { MaxAttempts = 2, FirstRetryDelay = TimeSpan.FromMilliseconds(20) };
        notifications.Channels.Add(new NotificationChannelOptions { Name = "nobody", Url = new Uri("http://127.0.0.1:9/hook") });
        await using AlertHarness harness = await AlertHarness.StartAsync(budget: new RestartBudgetOptions { MaxRestarts = 0 }, notifications: notifications);

        AlertIntakeResult result = await harness.PostAsync(AlertSource.Alertmanager, AlertPayloads.Read("alertmanager-firing"));

        (OrchestrationMetadata run, RunRecord? record) = await harness.CompletionAsync(Assert.Single(result.Receipt!.Alerts).RunId!);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, run.RuntimeStatus);
        NotificationDelivery delivery = Assert.Single(record!.Notifications);
        Assert.False(delivery.Delivered);
        Assert.Equal(2, delivery.Attempts);
        Assert.Contains(record.Warnings, w => w.Contains("not delivered to channel 'nobody'", StringComparison.Ordinal));
        Assert.Empty(harness.Target.Changes);
    }

    [Fact]
    public async Task ReceiveAsync_RepeatOfAnEscalationThatPagedNobody_EscalatesAgainOnceTheGraceHasPassed()
    {
        var notifications = new NotificationOptions { MaxAttempts = 1 };
        notifications.Channels.Add(new NotificationChannelOptions { Name = "nobody", Url = new Uri("http://127.0.0.1:9/hook") });
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using AlertHarness harness = await AlertHarness.StartAsync(budget: new RestartBudgetOptions { MaxRestarts = 0 }, notifications: notifications, escalationClock: clock);

        string first = Assert.Single((await harness.PostAsync(AlertSource.Alertmanager, AlertPayloads.Read("alertmanager-firing"))).Receipt!.Alerts).RunId!;
        (_, RunRecord? unheard) = await harness.CompletionAsync(first);
        AlertOutcome tooSoon = Assert.Single((await harness.PostAsync(AlertSource.Alertmanager, AlertPayloads.Read("alertmanager-firing"))).Receipt!.Alerts);
        clock.Advance(EscalationRepeats.SchedulingGrace);
        AlertOutcome again = Assert.Single((await harness.PostAsync(AlertSource.Alertmanager, AlertPayloads.Read("alertmanager-firing"))).Receipt!.Alerts);

        Assert.False(Assert.Single(unheard!.Notifications).Delivered);
        Assert.Equal(first, tooSoon.RunId);   // its notification may still be on its way: counted
        Assert.Equal(AlertOutcome.Escalated, again.Action);
        Assert.NotEqual(first, again.RunId);
        Assert.DoesNotContain("already escalated", again.Reason, StringComparison.Ordinal);
        Assert.Equal(RunOutcome.Escalated, (await harness.CompletionAsync(again.RunId!)).Record!.Outcome);
    }

    [Theory]
    [InlineData("{\"version\":\"4\",\"status\":\"firing\",\"alerts\":[{\"status\":\"firing\",\"labels\":{\"alertname\":\"OdooDown\",\"target\":\"nowhere\"}}]}", 404)]
    [InlineData("{\"version\":\"4\",\"status\":\"firing\",\"alerts\":[{\"status\":\"firing\",\"labels\":{\"alertname\":\"OdooDown\",\"target\":\"demo; rm -rf /\"}}]}", 422)]
    [InlineData("{\"version\":\"4\",\"status\":\"firing\",\"alerts\":[{\"status\":\"firing\",\"labels\":{\"alertname\":\"OdooDown\",\"target\":\"demo\"}},{\"status\":\"firing\",\"labels\":{\"alertname\":\"OdooDown\",\"target\":\"ghost\"}}]}", 404)]
    [InlineData("{\"version\":\"3\",\"status\":\"firing\",\"alerts\":[]}", 400)]
    [InlineData("not json", 400)]
    public async Task ReceiveAsync_InvalidTargetOrPayload_RefusesTheWholeNotificationAndSchedulesNothing(string payload, int status)
    {
        await using AlertHarness harness = await AlertHarness.StartAsync();

        AlertIntakeResult result = await harness.PostAsync(AlertSource.Alertmanager, payload);

        Assert.Equal(status, result.Status);
        Assert.NotNull(result.Error);
        Assert.Null(result.Receipt);
        Assert.Empty(await ScheduledAsync(harness));
        Assert.Null(harness.Host.Locks.HolderOf("demo"));
    }

    internal static async Task<List<OrchestrationMetadata>> ScheduledAsync(AlertHarness harness)
    {
        var all = new List<OrchestrationMetadata>();
        await foreach (OrchestrationMetadata instance in harness.Client.GetAllInstancesAsync(new OrchestrationQuery()))
        {
            all.Add(instance);
        }

        return all;
    }
}
