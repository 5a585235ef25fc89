using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Remediation.Artifacts;
using Remediation.Inventory;

namespace Remediation.Intake;

/// <summary>
/// Parses, validates, routes and dedupes remediation requests, then schedules the orchestration. Nothing is
/// scheduled unless every check passed; one run per (procedure, target, service) at a time — a duplicate joins it.
/// </summary>
public sealed partial class RemediationIntake : IRemediationIntake
{
    private const int MaxReasonLength = 500;
    private const int MaxRequesterLength = 100;

    private static readonly JsonSerializerOptions RequestJson = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.Strict,
    };

    // Serialises the check-then-schedule of duplicates within this process; across processes the window is a
    // few milliseconds and the second run would find the first one's state and not restart twice.
    private static readonly SemaphoreSlim ScheduleGate = new(1, 1);

    private readonly DurableTaskClient _client;
    private readonly Inventory.Inventory _inventory;
    private readonly TimeProvider _time;
    private readonly ILogger<RemediationIntake> _logger;
    private readonly IArtifactStore _artifacts;

    public RemediationIntake(DurableTaskClient client, Inventory.Inventory inventory, TimeProvider time, ILogger<RemediationIntake> logger, IArtifactStore artifacts)
    {
        _client = client;
        _inventory = inventory;
        _time = time;
        _logger = logger;
        _artifacts = artifacts;
    }

    public async Task<IntakeResult> StartAsync(string requestBody, CancellationToken cancellationToken)
    {
        (ValidatedRequest? request, IntakeResult? rejection) = Validate(requestBody);
        if (request is null)
        {
            LogRejected(_logger, rejection!.ErrorStatus ?? 400, rejection.Error ?? "");
            return rejection!;
        }

        string prefix = InstancePrefix(request);
        await ScheduleGate.WaitAsync(cancellationToken);
        try
        {
            string? running = await FindRunningAsync(prefix, cancellationToken);
            if (running is not null)
            {
                LogJoined(_logger, running);
                return IntakeResult.Started(running, joinedExisting: true);
            }

            string instanceId = prefix + _time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture)
                + "-" + Convert.ToHexStringLower(BitConverter.GetBytes(Random.Shared.Next()))[..6];
            await _client.ScheduleNewOrchestrationInstanceAsync(
                request.Procedure.Orchestrator,
                request.Procedure.BuildInput(request),
                new StartOrchestrationOptions(instanceId),
                cancellationToken);
            LogStarted(_logger, instanceId, request.Procedure.Name, request.Target.Name, request.RequestedBy);
            return IntakeResult.Started(instanceId, joinedExisting: false);
        }
        finally
        {
            ScheduleGate.Release();
        }
    }

    public async Task<RemediationView?> GetAsync(string instanceId, CancellationToken cancellationToken)
    {
        if (!IsPlausibleInstanceId(instanceId))
        {
            return null;
        }

        OrchestrationMetadata? metadata = await _client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, cancellationToken);
        if (metadata is null)
        {
            return null;
        }

        bool failed = metadata.RuntimeStatus == OrchestrationRuntimeStatus.Failed;
        return new RemediationView
        {
            Id = metadata.InstanceId,
            Procedure = ProcedureCatalog.All.FirstOrDefault(p => p.Orchestrator == metadata.Name)?.Name ?? metadata.Name,
            RuntimeStatus = metadata.RuntimeStatus.ToString(),
            CreatedAt = metadata.CreatedAt,
            LastUpdatedAt = metadata.LastUpdatedAt,
            Input = ParseOrNull(metadata.SerializedInput),
            Progress = ParseOrNull(metadata.SerializedCustomStatus),
            Result = failed ? null : ParseOrNull(metadata.SerializedOutput),
            Failure = failed ? FailureOf(metadata) : null,
        };
    }

    public async Task<string?> GetRestartLogAsync(string instanceId, CancellationToken cancellationToken)
    {
        RemediationView? view = await GetAsync(instanceId, cancellationToken);
        return view?.Progress?["restartLog"]?.GetValue<string>() is { } link
            ? await _artifacts.ReadAsync(link, cancellationToken)
            : null;
    }

    /// <summary>Checks a request body against the inventory and the catalogue; exactly one of the two results is set.</summary>
    public (ValidatedRequest? Request, IntakeResult? Rejection) Validate(string requestBody)
    {
        if (string.IsNullOrWhiteSpace(requestBody))
        {
            return Reject(400, "The request body is empty; send JSON such as {\"target\":\"demo\",\"procedure\":\"restart-service\",\"service\":\"odoo\",\"reason\":\"...\",\"requestedBy\":\"alice\"}.");
        }

        RemediationRequest? request;
        try
        {
            request = JsonSerializer.Deserialize<RemediationRequest>(requestBody, RequestJson);
        }
        catch (JsonException e)
        {
            string where = e.LineNumber is { } line ? $" (line {line + 1}, position {e.BytePositionInLine + 1})" : "";
            return Reject(400, $"The request body is not valid JSON for a remediation request{where}: {JsonErrorText.Reason(e)}");
        }

        if (request is null)
        {
            return Reject(400, "The request body must be a JSON object.");
        }

        if (string.IsNullOrWhiteSpace(request.Target))
        {
            return Reject(400, "'target' is required: the name of a target in the inventory.");
        }

        if (string.IsNullOrWhiteSpace(request.Procedure))
        {
            return Reject(400, $"'procedure' is required: one of {string.Join(", ", ProcedureCatalog.All.Select(p => p.Name))}.");
        }

        if (!InventoryValidator.IsValidName(request.Target))
        {
            return Reject(422, $"'target' value '{Printable(request.Target)}' is not a valid name: use letters, digits, '.', '_', '@' or '-'.");
        }

        if (ProcedureCatalog.Find(request.Procedure) is not { } procedure)
        {
            return Reject(422, $"'procedure' value '{Printable(request.Procedure)}' is not a known procedure; known: {string.Join(", ", ProcedureCatalog.All.Select(p => p.Name))}.");
        }

        if (request.Service is not null && !InventoryValidator.IsValidName(request.Service))
        {
            return Reject(422, $"'service' value '{Printable(request.Service)}' is not a valid service name: use letters, digits, '.', '_', '@' or '-' (nothing from a request ever reaches a shell).");
        }

        if (procedure.RequiresService && string.IsNullOrWhiteSpace(request.Service))
        {
            return Reject(400, $"'service' is required for procedure '{procedure.Name}'.");
        }

        if (request.Reason is { Length: > MaxReasonLength })
        {
            return Reject(422, $"'reason' is longer than {MaxReasonLength} characters.");
        }

        if (request.RequestedBy is { Length: > MaxRequesterLength } || (request.RequestedBy ?? "").Any(char.IsControl))
        {
            return Reject(422, $"'requestedBy' must be at most {MaxRequesterLength} printable characters.");
        }

        if (_inventory.FindTarget(request.Target) is not { } target)
        {
            return Reject(404, $"Target '{request.Target}' is not in the inventory; known targets: {string.Join(", ", _inventory.Targets.Select(t => t.Name))}.");
        }

        ServiceDefinition? service = null;
        if (request.Service is not null && (service = target.FindService(request.Service)) is null)
        {
            return Reject(404, $"Service '{request.Service}' is not defined for target '{target.Name}'; its services: {string.Join(", ", target.Services.Select(s => s.Name))}.");
        }

        string reason = string.IsNullOrWhiteSpace(request.Reason) ? "Not given" : request.Reason.Trim();
        string requestedBy = string.IsNullOrWhiteSpace(request.RequestedBy) ? "unknown" : request.RequestedBy.Trim();
        return (new ValidatedRequest(procedure, target, service, reason, requestedBy, request.Force, request.DryRun), null);
    }

    private static string InstancePrefix(ValidatedRequest request) =>
        $"{request.Procedure.Name}.{request.Target.Name}.{(request.Service?.Name ?? "all")}.";

    private async Task<string?> FindRunningAsync(string prefix, CancellationToken cancellationToken)
    {
        var query = new OrchestrationQuery
        {
            InstanceIdPrefix = prefix,
            Statuses = [OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Suspended],
            PageSize = 10,
        };
        await foreach (OrchestrationMetadata instance in _client.GetAllInstancesAsync(query).WithCancellation(cancellationToken))
        {
            return instance.InstanceId;
        }

        return null;
    }

    /// <summary>
    /// The failure message. The Azure Storage backend keeps it as the output text ("Type: message") rather than
    /// as failure details; the in-memory backend the other way round.
    /// </summary>
    private static string FailureOf(OrchestrationMetadata metadata)
    {
        string text = metadata.FailureDetails?.ErrorMessage ?? metadata.SerializedOutput ?? "the run failed without a message";
        Match typed = ExceptionPrefix().Match(text);
        return typed.Success ? text[typed.Length..] : text;
    }

    [GeneratedRegex(@"^[A-Za-z_][\w.]*(Exception|Error): ")]
    private static partial Regex ExceptionPrefix();

    private static bool IsPlausibleInstanceId(string id) =>
        id.Length is > 0 and <= 200 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '@');

    private static JsonNode? ParseOrNull(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }

        try
        {
            return CamelCase(JsonNode.Parse(json));
        }
        catch (JsonException)
        {
            return JsonValue.Create(json);
        }
    }

    /// <summary>Durable Task persists PascalCase; the API answers in camelCase throughout.</summary>
    private static JsonNode? CamelCase(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                var renamed = new JsonObject();
                foreach ((string key, JsonNode? value) in obj.ToList())
                {
                    obj.Remove(key);
                    renamed[JsonNamingPolicy.CamelCase.ConvertName(key)] = CamelCase(value);
                }

                return renamed;
            case JsonArray array:
                var items = array.ToList();
                array.Clear();
                return new JsonArray([.. items.Select(CamelCase)]);
            default:
                return node;
        }
    }

    private static (ValidatedRequest?, IntakeResult?) Reject(int status, string message) => (null, IntakeResult.Rejected(status, message));

    private static string Printable(string value) =>
        new(value.Take(80).Select(c => char.IsControl(c) ? '?' : c).ToArray());

    [LoggerMessage(Level = LogLevel.Information, Message = "Started remediation {InstanceId}: {Procedure} on {Target}, requested by {RequestedBy}")]
    private static partial void LogStarted(ILogger logger, string instanceId, string procedure, string target, string requestedBy);

    [LoggerMessage(Level = LogLevel.Information, Message = "Request joined the running remediation {InstanceId}")]
    private static partial void LogJoined(ILogger logger, string instanceId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rejected remediation request ({Status}): {Reason}")]
    private static partial void LogRejected(ILogger logger, int status, string reason);
}
