using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Remediation.Procedures.Rollout;
using Remediation.Schedules;

namespace Remediation.Intake.Rollouts;

/// <summary>
/// Portal rollouts: validates the request — every target through the remediation intake's own validation, so a rollout
/// can ask for nothing a single request could not — and starts a <see cref="RolloutOrchestrator"/>. Nothing is scheduled
/// unless every target passed.
/// </summary>
public sealed partial class RolloutIntake
{
    public const int MaxTargets = 500;
    public const int MaxConcurrencyLimit = 50;

    private static readonly JsonSerializerOptions RequestJson = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.Strict,
    };

    private static readonly JsonSerializerOptions ViewJson = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private readonly RemediationIntake _intake;
    private readonly DurableTaskClient _client;
    private readonly TimeProvider _time;
    private readonly IOptions<SchedulesOptions> _options;
    private readonly ILogger<RolloutIntake> _logger;

    public RolloutIntake(RemediationIntake intake, DurableTaskClient client, TimeProvider time, IOptions<SchedulesOptions> options, ILogger<RolloutIntake> logger)
    {
        _intake = intake;
        _client = client;
        _time = time;
        _options = options;
        _logger = logger;
    }

    public Task<IntakeResult> StartAsync(string requestBody, CancellationToken cancellationToken) =>
        StartAsync(requestBody, RequestCaller.Unnamed, cancellationToken);

    /// <summary>The same for a caller whose credential may name them (the recorded requester) and limit them to some procedures (403 otherwise), as for a single run.</summary>
    public async Task<IntakeResult> StartAsync(string requestBody, RequestCaller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        (RolloutRequest? rollout, IntakeResult? rejection) = Validate(requestBody);
        if (rollout is not null && !caller.MayActOn(rollout.Procedure))
        {
            rejection = IntakeResult.Rejected(403, $"The credential '{caller.Name}' may not run procedure '{rollout.Procedure}'; it is limited to {string.Join(", ", caller.Procedures ?? [])}.");
            rollout = null;
        }

        if (rollout is null)
        {
            LogRejected(_logger, rejection!.ErrorStatus ?? 400, rejection.Error ?? "");
            return rejection!;
        }

        rollout = rollout with { RequestedBy = caller.NameOr(rollout.RequestedBy) };

        string id = $"rollout.{rollout.Procedure}."
            + _time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture)
            + "-" + Convert.ToHexStringLower(BitConverter.GetBytes(Random.Shared.Next()))[..6];
        await _client.ScheduleNewOrchestrationInstanceAsync(nameof(RolloutOrchestrator), rollout, new StartOrchestrationOptions(id), cancellationToken);
        LogStarted(_logger, id, rollout.Procedure, rollout.Targets.Count, rollout.RequestedBy);
        return IntakeResult.Started(id, joinedExisting: false);
    }

    /// <summary>A rollout's state, progress and (when finished) its record; null when there is no such rollout.</summary>
    public async Task<RemediationView?> GetAsync(string instanceId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(instanceId);
        if (!instanceId.StartsWith("rollout.", StringComparison.Ordinal) && !instanceId.StartsWith("window.", StringComparison.Ordinal))
        {
            return null;
        }

        OrchestrationMetadata? metadata = await _client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, cancellationToken);
        if (metadata is null || metadata.Name != nameof(RolloutOrchestrator))
        {
            return null;
        }

        return new RemediationView
        {
            Id = metadata.InstanceId,
            Procedure = "rollout",
            RuntimeStatus = metadata.RuntimeStatus.ToString(),
            CreatedAt = metadata.CreatedAt,
            LastUpdatedAt = metadata.LastUpdatedAt,
            Input = metadata.SerializedInput is null ? null : JsonSerializer.SerializeToNode(metadata.ReadInputAs<RolloutRequest>(), ViewJson),
            Progress = metadata.SerializedCustomStatus is { } status ? JsonNode.Parse(status) : null,
            Result = metadata.RuntimeStatus == OrchestrationRuntimeStatus.Completed ? JsonSerializer.SerializeToNode(metadata.ReadOutputAs<RolloutRecord>(), ViewJson) : null,
            Failure = metadata.FailureDetails?.ErrorMessage,
        };
    }

    /// <summary>Checks the body and every target; exactly one of the two results is set.</summary>
    public (RolloutRequest? Request, IntakeResult? Rejection) Validate(string requestBody)
    {
        RolloutStartRequest? request;
        try
        {
            request = string.IsNullOrWhiteSpace(requestBody) ? null : JsonSerializer.Deserialize<RolloutStartRequest>(requestBody, RequestJson);
        }
        catch (JsonException e)
        {
            return Reject(400, $"The request body is not valid JSON for a rollout: {JsonErrorText.Reason(e)}");
        }

        if (request is null)
        {
            return Reject(400, "The request body must be a JSON object such as {\"procedure\":\"reload-nginx\",\"targets\":[\"web-1\",\"web-2\"],\"maxConcurrency\":2,\"maxFailures\":0}.");
        }

        if (request.Targets is not { Count: > 0 } targets)
        {
            return Reject(400, "'targets' is required: the inventory targets to roll out to, in order.");
        }

        if (targets.Count > MaxTargets || targets.Distinct(StringComparer.Ordinal).Count() != targets.Count)
        {
            return Reject(422, $"'targets' must name at most {MaxTargets} targets, each once.");
        }

        if (request.MaxConcurrency is < 1 or > MaxConcurrencyLimit || request.MaxFailures < 0 || request.MaxFailurePercent is < 0 or > 100)
        {
            return Reject(422, $"'maxConcurrency' must be between 1 and {MaxConcurrencyLimit}, 'maxFailures' at least 0, 'maxFailurePercent' between 0 and 100.");
        }

        foreach (string? target in targets)
        {
            // Each target is what a single request would be: the intake's validation, word for word.
            string single = JsonSerializer.Serialize(new RemediationRequest
            {
                Target = target, Procedure = request.Procedure, Service = request.Service, Mode = request.Mode, Force = request.Force,
                Reason = request.Reason, RequestedBy = request.RequestedBy,
            }, RequestJson);
            (ValidatedRequest? validated, IntakeResult? rejection) = _intake.Validate(single);
            if (validated is null)
            {
                return (null, rejection! with { Error = $"targets[{targets.ToList().IndexOf(target)}]: {rejection!.Error}" });
            }
        }

        return (new RolloutRequest
        {
            Name = "portal",
            Procedure = request.Procedure!,
            Service = request.Service,
            Mode = request.Mode,
            Force = request.Force,
            Reason = string.IsNullOrWhiteSpace(request.Reason) ? "Not given" : request.Reason.Trim(),
            RequestedBy = string.IsNullOrWhiteSpace(request.RequestedBy) ? "unknown" : request.RequestedBy.Trim(),
            Targets = [.. targets],
            MaxConcurrency = request.MaxConcurrency,
            MaxFailures = request.MaxFailures,
            MaxFailurePercent = request.MaxFailurePercent,
            PollSeconds = _options.Value.RunPollInterval.TotalSeconds,
        }, null);
    }

    private static (RolloutRequest?, IntakeResult?) Reject(int status, string message) => (null, IntakeResult.Rejected(status, message));

    [LoggerMessage(Level = LogLevel.Information, Message = "Started rollout {InstanceId}: {Procedure} on {Targets} target(s), requested by {RequestedBy}")]
    private static partial void LogStarted(ILogger logger, string instanceId, string procedure, int targets, string requestedBy);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rejected rollout request ({Status}): {Reason}")]
    private static partial void LogRejected(ILogger logger, int status, string reason);
}
