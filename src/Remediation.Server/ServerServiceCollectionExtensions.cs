using Remediation.Server.Api;
using Remediation.Server.DurableRuntime;
using Remediation.Server.Schedules;

namespace Remediation.Server;

/// <summary>Registers everything the self-hosted server adds around Core: the durable runtime, problem details and the health check.</summary>
public static class ServerServiceCollectionExtensions
{
    public static IServiceCollection AddRemediationServer(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddDurableRuntime();
        // After the durable runtime, so its client answers by the first tick.
        services.AddHostedService<MaintenanceTimerService>();
        services.AddRemediationApi();
        services.AddSingleton<TaskHubStorageProbe>();
        services.AddExceptionHandler<StorageUnavailableExceptionHandler>();
        services.AddHealthChecks()
            .AddCheck<DurableRuntimeHealthCheck>("durable-runtime")
            .AddCheck<TaskHubStorageHealthCheck>("task-hub-storage");
        return services;
    }
}
