using System.Diagnostics;
using DurableTask.AzureStorage;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Remediation.Server.DurableRuntime;

namespace Remediation.Tests.Server.DurableRuntime;

/// <summary>Builds durable runtimes in-process from the server's own extension methods, one task hub per test.</summary>
internal static class TestRuntime
{
    public static readonly TimeSpan CompletionTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The product's task list plus the test tasks.</summary>
    public static DurableTaskTypes Tasks { get; } = DurableTaskTypes.Remediation.With(
        [typeof(GreetingOrchestrator), typeof(FailureReportingOrchestrator), typeof(ApprovalOrchestrator), typeof(SlowCountingOrchestrator)],
        [typeof(GreetActivity), typeof(FailingActivity), typeof(SlowCountingActivity)]);

    /// <summary>A task hub name of its own: alphanumeric, as DTFx requires.</summary>
    public static string NewTaskHubName() => "t" + Guid.NewGuid().ToString("N");

    public static IHost Create(string storageConnectionString, string taskHub, string workerId, IReadOnlyDictionary<string, string?>? settings = null)
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Durable:StorageConnectionString"] = storageConnectionString,
            ["Durable:TaskHubName"] = taskHub,
            ["Durable:WorkerId"] = workerId,
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        // Scoped dependencies must be resolved from the per-execution scope, never from the root.
        builder.ConfigureContainer(new DefaultServiceProviderFactory(new ServiceProviderOptions { ValidateScopes = true }));
        builder.Services.AddDurableRuntime();
        builder.Services.AddSingleton(Tasks);
        builder.Services.AddScoped(_ => new Salutation("Hello"));
        return builder.Build();
    }

    /// <summary>Polls every 50 ms: <c>WaitForInstanceCompletionAsync</c> through the sidecar polls every 2 s.</summary>
    public static async Task<OrchestrationMetadata> WaitForCompletionAsync(this DurableTaskClient client, string instanceId, TimeSpan? timeout = null)
    {
        var elapsed = Stopwatch.StartNew();
        OrchestrationMetadata? last = null;
        while (elapsed.Elapsed < (timeout ?? CompletionTimeout))
        {
            last = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true);
            if (last is { IsCompleted: true })
            {
                return last;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"Orchestration {instanceId} did not finish within {timeout ?? CompletionTimeout}; last status {last?.RuntimeStatus.ToString() ?? "unknown"}.");
    }

    /// <summary>Removes the test's queues, tables and containers from Azurite.</summary>
    public static async Task DeleteTaskHubAsync(string storageConnectionString, string taskHub)
    {
        var options = new DurableRuntimeOptions { StorageConnectionString = storageConnectionString, TaskHubName = taskHub };
        var service = new AzureStorageOrchestrationService(AzureStorageTaskHubSettings.Create(options, NullLoggerFactory.Instance));
        await service.DeleteAsync();
    }
}
