using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Remediation.Artifacts;
using Remediation.Intake.Rollouts;
using Remediation.Schedules.Deferrals;
using Remediation.Schedules.Notices;
using Remediation.Schedules.Scheduling;

namespace Remediation.Schedules;

/// <summary>Registers maintenance windows, freezes, deferrals, the scheduler, notices and rollouts; <c>AddRemediationCore</c> calls it.</summary>
public static class SchedulesServiceCollectionExtensions
{
    public static IServiceCollection AddSchedules(this IServiceCollection services)
    {
        services.AddOptions<SchedulesOptions>().BindConfiguration(SchedulesOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SchedulesOptions>, SchedulesOptionsValidator>());
        services.TryAddSingleton<MaintenanceCalendar>();
        services.TryAddSingleton<IDeferredRuns, BlobDeferredRuns>();
        services.TryAddSingleton<IOccurrenceClaims, BlobOccurrenceClaims>();
        services.AddHttpClient(WebhookMaintenanceNotice.HttpClientName);
        services.TryAddSingleton<IMaintenanceNotice, WebhookMaintenanceNotice>();
        services.TryAddSingleton<IRolloutRecords, BlobRolloutRecords>();
        services.TryAddSingleton<AutomaticRunGate>();
        services.TryAddSingleton<MaintenanceScheduler>();
        services.TryAddSingleton<RolloutIntake>();
        return services;
    }
}
