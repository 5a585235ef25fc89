using DurableTask.Core.History;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Client.Entities;

namespace Remediation.Functions.DurableClient;

/// <summary>The <see cref="DurableTaskClient"/> Core's services get from DI in Azure Functions: it forwards to the client the host binds to a <c>[DurableClient]</c> parameter.</summary>
/// <remarks>
/// Functions offers a durable client only through that binding (it carries the host's gRPC endpoint), while Core's
/// intake takes <see cref="DurableTaskClient"/> by constructor like the self-hosted server gives it. Every trigger that
/// reaches Core declares <c>[DurableClient]</c> and calls <see cref="Attach"/> first; the host hands out one cached
/// client per task hub, so attaching again is harmless.
/// </remarks>
public sealed class BoundDurableTaskClient() : DurableTaskClient("bound")
{
    private volatile DurableTaskClient? _bound;

    public override DurableEntityClient Entities => Bound.Entities;

    private DurableTaskClient Bound => _bound ?? throw new InvalidOperationException(
        "No durable client is bound yet: a function that uses Core's services must declare a [DurableClient] DurableTaskClient parameter and pass it to BoundDurableTaskClient.Attach before calling them.");

    /// <summary>Uses the client the Functions host bound to this invocation.</summary>
    public void Attach(DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        _bound = client;
    }

    public override Task<string> ScheduleNewOrchestrationInstanceAsync(
        TaskName orchestratorName, object? input = null, StartOrchestrationOptions? options = null, CancellationToken cancellation = default) =>
        Bound.ScheduleNewOrchestrationInstanceAsync(orchestratorName, input, options, cancellation);

    public override Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default) =>
        Bound.RaiseEventAsync(instanceId, eventName, eventPayload, cancellation);

    public override Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        Bound.WaitForInstanceStartAsync(instanceId, getInputsAndOutputs, cancellation);

    public override Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        Bound.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs, cancellation);

    public override Task TerminateInstanceAsync(string instanceId, TerminateInstanceOptions? options = null, CancellationToken cancellation = default) =>
        Bound.TerminateInstanceAsync(instanceId, options, cancellation);

    public override Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
        Bound.SuspendInstanceAsync(instanceId, reason, cancellation);

    public override Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
        Bound.ResumeInstanceAsync(instanceId, reason, cancellation);

    public override Task<OrchestrationMetadata?> GetInstancesAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        Bound.GetInstancesAsync(instanceId, getInputsAndOutputs, cancellation);

    public override AsyncPageable<OrchestrationMetadata> GetAllInstancesAsync(OrchestrationQuery? filter = null) =>
        Bound.GetAllInstancesAsync(filter);

    public override Task<PurgeResult> PurgeInstanceAsync(string instanceId, PurgeInstanceOptions? options = null, CancellationToken cancellation = default) =>
        Bound.PurgeInstanceAsync(instanceId, options, cancellation);

    public override Task<PurgeResult> PurgeAllInstancesAsync(PurgeInstancesFilter filter, PurgeInstanceOptions? options = null, CancellationToken cancellation = default) =>
        Bound.PurgeAllInstancesAsync(filter, options, cancellation);

    public override Task<string> RestartAsync(string instanceId, bool restartWithNewInstanceId = false, CancellationToken cancellation = default) =>
        Bound.RestartAsync(instanceId, restartWithNewInstanceId, cancellation);

    public override Task RewindInstanceAsync(string instanceId, string reason, CancellationToken cancellation = default) =>
        Bound.RewindInstanceAsync(instanceId, reason, cancellation);

    public override Task<IList<HistoryEvent>> GetOrchestrationHistoryAsync(string instanceId, CancellationToken cancellation = default) =>
        Bound.GetOrchestrationHistoryAsync(instanceId, cancellation);

    public override Task<Page<string>> ListInstanceIdsAsync(
        IEnumerable<OrchestrationRuntimeStatus>? runtimeStatus = null,
        DateTimeOffset? completedTimeFrom = null,
        DateTimeOffset? completedTimeTo = null,
        int pageSize = OrchestrationQuery.DefaultPageSize,
        string? lastInstanceKey = null,
        CancellationToken cancellation = default) =>
        Bound.ListInstanceIdsAsync(runtimeStatus, completedTimeFrom, completedTimeTo, pageSize, lastInstanceKey, cancellation);

    // The host owns the bound client and its channel.
    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
