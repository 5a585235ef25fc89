using DurableTask.AzureStorage;
using DurableTask.Core;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Client.Grpc;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Remediation.Server.DurableRuntime;

/// <summary>Registers the self-hosted durable runtime: DTFx on Azure Storage executes, a loopback gRPC sidecar serves <see cref="DurableTaskClient"/>.</summary>
public static class DurableRuntimeServiceCollectionExtensions
{
    /// <summary>
    /// Adds the durable runtime, its options (section "Durable", validated at start-up) and the <see cref="DurableTaskClient"/>.
    /// Tasks come from the registered <see cref="DurableTaskTypes"/> (the product's list unless another is registered; the last registration wins).
    /// </summary>
    public static IServiceCollection AddDurableRuntime(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);

        services.AddOptions<DurableRuntimeOptions>().BindConfiguration(DurableRuntimeOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DurableRuntimeOptions>, DurableRuntimeOptionsValidator>());
        services.TryAddSingleton(_ => DurableTaskTypes.Remediation);

        services.TryAddSingleton(sp => new AzureStorageOrchestrationService(AzureStorageTaskHubSettings.Create(
            sp.GetRequiredService<IOptions<DurableRuntimeOptions>>().Value, sp.GetRequiredService<ILoggerFactory>())));
        services.TryAddSingleton<IOrchestrationService>(sp => sp.GetRequiredService<AzureStorageOrchestrationService>());
        services.TryAddSingleton<IOrchestrationServiceClient>(sp => sp.GetRequiredService<AzureStorageOrchestrationService>());

        services.TryAddSingleton<SidecarChannel>();
        services.AddDurableTaskClient(client =>
        {
            client.UseGrpc();
            client.Services.AddOptions<GrpcDurableTaskClientOptions>(client.Name)
                .Configure<SidecarChannel>((grpc, sidecar) =>
                {
                    grpc.Channel = sidecar.Channel;
                    grpc.DataConverter = DurableJson.Converter;
                });
        });

        services.TryAddSingleton(sp => new DurableRuntimeHostedService(
            sp.GetRequiredService<IOptions<DurableRuntimeOptions>>(),
            sp.GetRequiredService<AzureStorageOrchestrationService>(),
            sp.GetRequiredService<DurableTaskTypes>(),
            sp.GetRequiredService<SidecarChannel>(),
            sp,
            sp.GetRequiredService<ILoggerFactory>()));
        services.AddHostedService(sp => sp.GetRequiredService<DurableRuntimeHostedService>());
        return services;
    }
}
