using System.Collections;
using System.Reflection;
using DurableTask.AzureStorage;
using DurableTask.Core;

namespace Remediation.Server.DurableRuntime;

/// <summary>DTFx's Azure Storage service as the worker sees it, with the two activity paths that wedge a run after a storage outage made to recover.</summary>
/// <remarks>
/// <para>
/// DTFx 2.11's <see cref="AzureStorageOrchestrationService"/> keeps every dequeued activity message in a private
/// dictionary until completing or abandoning it succeeds. When storage is unreachable at that moment both fail, the
/// entry stays, and every later delivery of the message is dropped as "being processed multiple times concurrently"
/// — the run waits until the process restarts. Here a failed abandon forgets the entry, so the message (invisible for
/// one visibility timeout) is delivered again once storage is back and the activity runs again (activities are
/// written to be re-run).
/// </para>
/// <para>
/// The activity dispatcher stops renewing a message's visibility after its first failed renewal; an activity that
/// outlives one storage hiccup would then reappear for another server while it still runs. A failed renewal is
/// reported as "renew again now", so the dispatcher keeps renewing every 5 s for as long as the activity runs.
/// </para>
/// </remarks>
public sealed partial class StorageOutageTolerantService : IOrchestrationService
{
    private readonly AzureStorageOrchestrationService _inner;
    private readonly IDictionary _activeActivitySessions;
    private readonly ILogger _logger;

    public StorageOutageTolerantService(AzureStorageOrchestrationService inner, ILogger<StorageOutageTolerantService> logger)
    {
        _inner = inner;
        _logger = logger;
        _activeActivitySessions = ActiveActivitySessions(inner);
    }

    public int TaskOrchestrationDispatcherCount => _inner.TaskOrchestrationDispatcherCount;

    public int MaxConcurrentTaskOrchestrationWorkItems => _inner.MaxConcurrentTaskOrchestrationWorkItems;

    public BehaviorOnContinueAsNew EventBehaviourForContinueAsNew => _inner.EventBehaviourForContinueAsNew;

    public int TaskActivityDispatcherCount => _inner.TaskActivityDispatcherCount;

    public int MaxConcurrentTaskActivityWorkItems => _inner.MaxConcurrentTaskActivityWorkItems;

    /// <summary>The dictionary DTFx keeps dequeued activity messages in; fails loudly at start-up if a DTFx upgrade renamed it, rather than silently losing the recovery.</summary>
    public static IDictionary ActiveActivitySessions(AzureStorageOrchestrationService service)
    {
        FieldInfo field = typeof(AzureStorageOrchestrationService).GetField("activeActivitySessions", BindingFlags.Instance | BindingFlags.NonPublic)
            ?? throw new InvalidOperationException(
                "DurableTask.AzureStorage has no field 'activeActivitySessions' any more: check whether the activity wedge after a storage outage " +
                $"is fixed in this version ({typeof(AzureStorageOrchestrationService).Assembly.GetName().Version}) and remove {nameof(StorageOutageTolerantService)}.");
        // A ConcurrentDictionary: its non-generic Remove is as thread-safe as the generic one.
        return field.GetValue(service) as IDictionary
            ?? throw new InvalidOperationException("DurableTask.AzureStorage's 'activeActivitySessions' is not a dictionary any more.");
    }

    public async Task<TaskActivityWorkItem> RenewTaskActivityWorkItemLockAsync(TaskActivityWorkItem workItem)
    {
        try
        {
            return await _inner.RenewTaskActivityWorkItemLockAsync(workItem);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The dispatcher renews when fewer than 30 s are left; an unchanged LockedUntilUtc makes it try again at its next 5 s tick.
            LogRenewFailed(_logger, workItem.Id, workItem.TaskMessage?.OrchestrationInstance?.InstanceId, e.Message);
            return workItem;
        }
    }

    public async Task AbandonTaskActivityWorkItemAsync(TaskActivityWorkItem workItem)
    {
        try
        {
            await _inner.AbandonTaskActivityWorkItemAsync(workItem);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The execution has ended (the dispatcher abandons only after it), so forgetting it cannot let two run at once in this process.
            _activeActivitySessions.Remove(workItem.Id);

            LogAbandonFailed(_logger, workItem.Id, workItem.TaskMessage?.OrchestrationInstance?.InstanceId, e.Message);
            throw;
        }
    }

    public Task<TaskActivityWorkItem> LockNextTaskActivityWorkItem(TimeSpan receiveTimeout, CancellationToken cancellationToken) =>
        _inner.LockNextTaskActivityWorkItem(receiveTimeout, cancellationToken);

    public Task CompleteTaskActivityWorkItemAsync(TaskActivityWorkItem workItem, TaskMessage responseMessage) =>
        _inner.CompleteTaskActivityWorkItemAsync(workItem, responseMessage);

    public Task StartAsync() => _inner.StartAsync();

    public Task StopAsync() => _inner.StopAsync();

    public Task StopAsync(bool isForced) => _inner.StopAsync(isForced);

    public Task CreateAsync() => _inner.CreateAsync();

    public Task CreateAsync(bool recreateInstanceStore) => _inner.CreateAsync(recreateInstanceStore);

    public Task CreateIfNotExistsAsync() => _inner.CreateIfNotExistsAsync();

    public Task DeleteAsync() => _inner.DeleteAsync();

    public Task DeleteAsync(bool deleteInstanceStore) => _inner.DeleteAsync(deleteInstanceStore);

    public bool IsMaxMessageCountExceeded(int currentMessageCount, OrchestrationRuntimeState runtimeState) =>
        _inner.IsMaxMessageCountExceeded(currentMessageCount, runtimeState);

    // DTFx's 10 s back-off after any processing error would add 10 s to every resume after an outage.
    public int GetDelayInSecondsAfterOnProcessException(Exception exception) => 1;

    public int GetDelayInSecondsAfterOnFetchException(Exception exception) => 1;

    public Task<TaskOrchestrationWorkItem> LockNextTaskOrchestrationWorkItemAsync(TimeSpan receiveTimeout, CancellationToken cancellationToken) =>
        _inner.LockNextTaskOrchestrationWorkItemAsync(receiveTimeout, cancellationToken);

    public Task RenewTaskOrchestrationWorkItemLockAsync(TaskOrchestrationWorkItem workItem) =>
        _inner.RenewTaskOrchestrationWorkItemLockAsync(workItem);

    public Task CompleteTaskOrchestrationWorkItemAsync(
        TaskOrchestrationWorkItem workItem,
        OrchestrationRuntimeState newOrchestrationRuntimeState,
        IList<TaskMessage> outboundMessages,
        IList<TaskMessage> orchestratorMessages,
        IList<TaskMessage> timerMessages,
        TaskMessage continuedAsNewMessage,
        OrchestrationState orchestrationState) =>
        _inner.CompleteTaskOrchestrationWorkItemAsync(
            workItem, newOrchestrationRuntimeState, outboundMessages, orchestratorMessages, timerMessages, continuedAsNewMessage, orchestrationState);

    public Task AbandonTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) =>
        _inner.AbandonTaskOrchestrationWorkItemAsync(workItem);

    public Task ReleaseTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) =>
        _inner.ReleaseTaskOrchestrationWorkItemAsync(workItem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not renew activity message {MessageId} of {InstanceId} ({Reason}); trying again in 5 s")]
    private static partial void LogRenewFailed(ILogger logger, string messageId, string? instanceId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not abandon activity message {MessageId} of {InstanceId} ({Reason}); it will be delivered again once storage answers")]
    private static partial void LogAbandonFailed(ILogger logger, string messageId, string? instanceId, string reason);
}
