using Azure.Identity;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Remediation.Activities.Services;
using Remediation.Artifacts;
using Remediation.Intake;
using Remediation.Intake.Alerts;
using Remediation.Intake.Approvals;
using Remediation.Intake.Budget;
using Remediation.Intake.Escalations;
using Remediation.Intake.Runs;
using Remediation.Intake.Locks;
using Remediation.Notifications;
using Remediation.Inventory;
using Remediation.Probes;
using Remediation.Schedules;

namespace Remediation;

/// <summary>Registers everything the orchestrations, activities and intake need; both hosts call it once.</summary>
public static class RemediationServiceCollectionExtensions
{
    public static IServiceCollection AddRemediationCore(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton(TimeProvider.System);

        services.AddOptions<RemediationOptions>().BindConfiguration(RemediationOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RemediationOptions>, InventoryFileValidator>());
        services.TryAddSingleton(sp => InventoryLoader.Load(sp.GetRequiredService<IOptions<RemediationOptions>>().Value.InventoryFile));

        services.AddSshAndProbes();
        services.TryAddSingleton<ServiceStatusReader>();
        services.TryAddSingleton<ServiceReadiness>();
        services.TryAddSingleton<EarlierOutageReader>();
        services.TryAddSingleton<HeldRestartClaims>();
        services.TryAddSingleton<ReadinessWatch>();

        services.AddOptions<ArtifactStorageOptions>().BindConfiguration(ArtifactStorageOptions.Section);
        services.TryAddSingleton(sp =>
        {
            ArtifactStorageOptions options = sp.GetRequiredService<IOptions<ArtifactStorageOptions>>().Value;
            return options.ServiceUri is { } uri ? new BlobServiceClient(uri, new DefaultAzureCredential()) : new BlobServiceClient(options.ConnectionString);
        });
        services.TryAddSingleton<IArtifactStore, BlobArtifactStore>();
        services.TryAddSingleton<ITargetLocks, BlobTargetLocks>();

        services.AddOptions<ApprovalPolicyOptions>().BindConfiguration(ApprovalPolicyOptions.Section)
            .Validate(o => o.TimeoutSeconds is >= 1 and <= 7 * 86400, $"{ApprovalPolicyOptions.Section}:TimeoutSeconds must be between 1 and 604800.")
            .ValidateOnStart();
        services.TryAddSingleton<ApprovalPolicy>();
        services.AddOptions<RestartBudgetOptions>().BindConfiguration(RestartBudgetOptions.Section);
        services.TryAddSingleton<IRestartBudgetStore, BlobRestartBudgetStore>();
        services.TryAddSingleton<RestartBudget>();
        services.AddOptions<EscalationOptions>().BindConfiguration(EscalationOptions.Section)
            .Validate(o => o.RepeatAfter >= TimeSpan.Zero, $"{EscalationOptions.Section}:RepeatAfter must not be negative.")
            .ValidateOnStart();
        services.TryAddSingleton<IEscalationLog, BlobEscalationLog>();
        services.TryAddSingleton<EscalationRepeats>();
        services.TryAddSingleton<RemediationIntake>();
        services.TryAddSingleton<IRemediationIntake>(sp => sp.GetRequiredService<RemediationIntake>());
        services.TryAddSingleton<RemediationRuns>();

        // Alerts: one path for both hosts.
        services.AddOptions<AlertOptions>().BindConfiguration(AlertOptions.Section);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAlertParser, AzureMonitorParser>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAlertParser, AlertmanagerParser>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAlertParser, GrafanaParser>());
        services.TryAddSingleton<AlertRouter>();
        services.TryAddSingleton<IAlertPolicy, FreezeWindowAlertPolicy>();
        services.TryAddSingleton<IAlertReceipts, BlobAlertReceipts>();
        services.TryAddSingleton<AlertWebhookAuthenticator>();
        services.TryAddSingleton<AlertIntake>();

        // Notifications: shared by every part; channels in configuration.
        services.AddOptions<NotificationOptions>().BindConfiguration(NotificationOptions.Section)
            .Validate(o => o.MaxAttempts >= 1, $"{NotificationOptions.Section}:MaxAttempts must be at least 1 (1: no retry).")
            .ValidateOnStart();
        services.AddHttpClient<INotificationSender, WebhookNotificationSender>();
        services.AddSchedules();
        return services;
    }
}
