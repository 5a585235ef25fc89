using Azure.Core;
using Azure.Identity;
using DurableTask.AzureStorage;

namespace Remediation.Server.DurableRuntime;

/// <summary>Translates <see cref="DurableRuntimeOptions"/> into the settings of DTFx's Azure Storage backend.</summary>
public static class AzureStorageTaskHubSettings
{
    public static AzureStorageOrchestrationServiceSettings Create(
        DurableRuntimeOptions options, ILoggerFactory loggerFactory, TokenCredential? credential = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);

        return new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = options.TaskHubName,
            StorageAccountClientProvider = CreateClientProvider(options, credential),
            PartitionCount = options.PartitionCount,
            MaxQueuePollingInterval = options.MaxQueuePollingInterval,
            WorkItemQueueVisibilityTimeout = options.WorkItemQueueVisibilityTimeout,
            ControlQueueVisibilityTimeout = options.ControlQueueVisibilityTimeout,
            LeaseAcquireInterval = options.LeaseAcquireInterval,
            LeaseInterval = options.LeaseInterval,
            // Only the legacy blob partition manager reads this; kept in step so switching managers changes nothing.
            LeaseRenewInterval = options.LeaseAcquireInterval,
            WorkerId = options.EffectiveWorkerId,
            LoggerFactory = loggerFactory,
        };
    }

    private static StorageAccountClientProvider CreateClientProvider(DurableRuntimeOptions options, TokenCredential? credential)
    {
        if (options.StorageAccountUri is not { } blobUri)
        {
            return new StorageAccountClientProvider(options.StorageConnectionString);
        }

        // One account, three services: https://NAME.blob.core.windows.net -> NAME.queue... and NAME.table...
        return new StorageAccountClientProvider(
            blobUri,
            WithService(blobUri, "queue"),
            WithService(blobUri, "table"),
            credential ?? new DefaultAzureCredential());
    }

    private static Uri WithService(Uri blobUri, string service) =>
        new UriBuilder(blobUri) { Host = blobUri.Host.Replace(".blob.", $".{service}.", StringComparison.OrdinalIgnoreCase) }.Uri;
}
