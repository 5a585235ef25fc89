using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Remediation.Intake;
using Remediation.Tests.Server.DurableRuntime;

namespace Remediation.Tests.Server.Api;

/// <summary>A stand-in for Core's intake: "reject" is refused with 422; anything else starts <see cref="ApprovalOrchestrator"/> for the body's target.</summary>
internal sealed class ApprovalIntake(DurableTaskClient client) : IRemediationIntake
{
    public const string RejectedBody = "reject";

    public async Task<IntakeResult> StartAsync(string requestBody, CancellationToken cancellationToken)
    {
        if (requestBody == RejectedBody)
        {
            return IntakeResult.Rejected(422, "'reject' is not a known procedure");
        }

        string target = JsonDocument.Parse(requestBody).RootElement.GetProperty("target").GetString()!;
        string id = await client.ScheduleNewOrchestrationInstanceAsync(nameof(ApprovalOrchestrator), target, cancellationToken);
        return IntakeResult.Started(id, joinedExisting: false);
    }

    public async Task<IntakeResult> StartAsync(RemediationRequest request, string instanceId, Remediation.Runs.RunTrigger trigger, CancellationToken cancellationToken)
    {
        await client.ScheduleNewOrchestrationInstanceAsync(nameof(ApprovalOrchestrator), request.Target, new StartOrchestrationOptions(instanceId), cancellationToken);
        return IntakeResult.Started(instanceId, joinedExisting: false);
    }

    public async Task<RemediationView?> GetAsync(string instanceId, CancellationToken cancellationToken)
    {
        OrchestrationMetadata? instance = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, cancellationToken);
        return instance is null ? null : new RemediationView
        {
            Id = instance.InstanceId,
            Procedure = instance.Name,
            RuntimeStatus = instance.RuntimeStatus.ToString(),
            CreatedAt = instance.CreatedAt,
            LastUpdatedAt = instance.LastUpdatedAt,
            Progress = instance.SerializedCustomStatus is { } progress ? JsonNode.Parse(progress) : null,
            Result = instance.SerializedOutput is { } output ? JsonNode.Parse(output) : null,
            Failure = instance.FailureDetails?.ErrorMessage,
        };
    }

    /// <summary>The approval orchestration files no restart log.</summary>
    public Task<string?> GetRestartLogAsync(string instanceId, CancellationToken cancellationToken) => Task.FromResult<string?>(null);

    public Task<string?> FileTerminatedAsync(string instanceId, string? reason, CancellationToken cancellationToken) => Task.FromResult<string?>(null);
}
