using System.Globalization;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Remediation.Procedures.Rollout;
using Remediation.Schedules;
using Remediation.Schedules.Notices;
using Remediation.Schedules.Scheduling;

namespace Remediation.Tests.Schedules;

/// <summary>Windows built around the real clock (the in-memory host's durable timers run on it) and schedulers on a fake one.</summary>
internal static class ScheduleTestKit
{
    /// <summary>The start of the current minute: an occurrence that opened less than a minute ago.</summary>
    public static DateTime CurrentMinuteUtc()
    {
        DateTime now = DateTime.UtcNow;
        return new DateTime(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, DateTimeKind.Utc);
    }

    /// <summary>A daily cron expression that fires at <paramref name="utc"/>'s minute, read in <paramref name="zone"/>.</summary>
    public static string DailyCronAt(DateTime utc, string zone)
    {
        DateTime local = TimeZoneInfo.ConvertTimeFromUtc(utc, TimeZoneInfo.FindSystemTimeZoneById(zone));
        return string.Create(CultureInfo.InvariantCulture, $"{local.Minute} {local.Hour} * * *");
    }

    public static MaintenanceScheduler Scheduler(MaintenanceCalendar calendar, IOccurrenceClaims claims, DurableTaskClient client, TimeProvider clock) =>
        new(calendar, claims, client, clock, NullLogger<MaintenanceScheduler>.Instance);

    /// <summary>Registers the webhook notice (real, posting to <paramref name="url"/>) and the calendar's options.</summary>
    public static Action<IServiceCollection> Services(SchedulesOptions options) => services =>
    {
        services.AddSingleton(Options.Create(options));
        services.AddHttpClient(WebhookMaintenanceNotice.HttpClientName);
        services.AddSingleton<IMaintenanceNotice, WebhookMaintenanceNotice>();
    };

    public static async Task<RolloutRecord> WaitForRolloutAsync(DurableTaskClient client, string id)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        OrchestrationMetadata run = await client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);
        Xunit.Assert.True(run.RuntimeStatus == OrchestrationRuntimeStatus.Completed, $"rollout {id} ended {run.RuntimeStatus}: {run.FailureDetails?.ErrorMessage}");
        return run.ReadOutputAs<RolloutRecord>()!;
    }

    public static FakeTimeProvider ClockAt(DateTime utc) => new(new DateTimeOffset(utc));
}
