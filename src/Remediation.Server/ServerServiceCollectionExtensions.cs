using Remediation.Server.Api;
using Remediation.Server.DurableRuntime;

namespace Remediation.Server;

/// <summary>Registers everything the self-hosted server adds around Core: the durable runtime, problem details and the health check.</summary>
public static class ServerServiceCollectionExtensions
{
    public static IServiceCollection AddRemediationServer(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddDurableRuntime();
        services.AddRemediationApi();
        services.AddSingleton<TaskHubStorageProbe>();
        services.AddExceptionHandler<StorageUnavailableExceptionHandler>();
        services.AddHealthChecks()
            .AddCheck<DurableRuntimeHealthCheck>("durable-runtime")
            .AddCheck<TaskHubStorageHealthCheck>("task-hub-storage");
        return services;
    }
}
