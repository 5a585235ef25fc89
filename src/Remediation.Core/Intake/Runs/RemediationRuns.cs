using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Remediation.Artifacts;
using Remediation.Inventory;
using Remediation.Procedures;
using Remediation.Runs;
using Remediation.Runs.Approvals;

namespace Remediation.Intake.Runs;

/// <summary>
/// Everything done to runs after they start — list, cancel, terminate, raise an event, approve, reject — in one place
/// that both hosts call, so the self-hosted server and the Functions app answer the same. Each operation checks the
/// run exists and is running (the task hub silently drops messages for unknown or finished runs) and that the caller's
/// credential may act on its procedure, before it sends anything.
/// </summary>
public sealed partial class RemediationRuns
{
    /// <summary>The most runs one page may hold; a bigger pageSize is refused.</summary>
    public const int MaxPageSize = 100;

    public const int DefaultPageSize = 20;

    private const int MaxText = 500;
    private const int MaxContinuationTokenLength = 4096;

    private static readonly JsonSerializerOptions DecisionJson = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    private static readonly IReadOnlyDictionary<string, OrchestrationRuntimeStatus> States = new Dictionary<string, OrchestrationRuntimeStatus>(StringComparer.OrdinalIgnoreCase)
    {
        ["running"] = OrchestrationRuntimeStatus.Running,
        ["pending"] = OrchestrationRuntimeStatus.Pending,
        ["completed"] = OrchestrationRuntimeStatus.Completed,
        ["failed"] = OrchestrationRuntimeStatus.Failed,
        ["terminated"] = OrchestrationRuntimeStatus.Terminated,
        ["suspended"] = OrchestrationRuntimeStatus.Suspended,
    };

    private readonly DurableTaskClient _client;
    private readonly IRemediationIntake _intake;
    private readonly ILogger<RemediationRuns> _logger;

    public RemediationRuns(DurableTaskClient client, IRemediationIntake intake, ILogger<RemediationRuns> logger)
    {
        _client = client;
        _intake = intake;
        _logger = logger;
    }

    /// <summary>
    /// One page of runs, newest filters first applied by the task hub (state, created since, and — through the instance id,
    /// which begins "procedure.target." — procedure and procedure+target); a target alone is filtered here, from each run's input.
    /// </summary>
    public async Task<RunOperationResult> ListAsync(RunListQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Target is { } target && !InventoryValidator.IsValidName(target))
        {
            return RunOperationResult.Problem(422, "'target' is not a valid name: use letters, digits, '.', '_', '@' or '-'.");
        }

        ProcedureDefinition? procedure = null;
        if (query.Procedure is { } name && (procedure = ProcedureCatalog.Find(name)) is null)
        {
            return RunOperationResult.Problem(422, $"'procedure' is not a known procedure; known: {string.Join(", ", ProcedureCatalog.All.Select(p => p.Name))}.");
        }

        List<OrchestrationRuntimeStatus> statuses = [];
        foreach (string state in (query.State ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!States.TryGetValue(state, out OrchestrationRuntimeStatus status))
            {
                return RunOperationResult.Problem(422, $"'state' value '{Printable(state)}' is not one of {string.Join(", ", States.Keys)}.");
            }

            statuses.Add(status);
        }

        DateTimeOffset? since = null;
        if (query.Since is { } sinceText)
        {
            if (!DateTimeOffset.TryParse(sinceText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset parsed))
            {
                return RunOperationResult.Problem(400, "'since' must be an ISO 8601 time such as 2026-12-02T04:00:00Z.");
            }

            since = parsed;
        }

        int pageSize = DefaultPageSize;
        if (query.PageSize is { } sizeText && (!int.TryParse(sizeText, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > MaxPageSize))
        {
            return RunOperationResult.Problem(422, $"'pageSize' must be a whole number from 1 to {MaxPageSize}.");
        }

        if (query.ContinuationToken is { Length: > MaxContinuationTokenLength })
        {
            return RunOperationResult.Problem(400, "'continuationToken' is not one this API gave out.");
        }

        var filter = new OrchestrationQuery
        {
            CreatedFrom = since,
            Statuses = statuses.Count > 0 ? statuses : null,
            InstanceIdPrefix = procedure is null ? null : query.Target is null ? $"{procedure.Name}." : $"{procedure.Name}.{query.Target}.",
            PageSize = pageSize,
            ContinuationToken = string.IsNullOrEmpty(query.ContinuationToken) ? null : query.ContinuationToken,
            FetchInputsAndOutputs = true,
        };

        await foreach (Microsoft.DurableTask.Page<OrchestrationMetadata> page in _client.GetAllInstancesAsync(filter).AsPages(filter.ContinuationToken, pageSize).WithCancellation(cancellationToken))
        {
            List<RunSummary> items = [.. page.Values
                .Select(Summarize)
                .Where(s => query.Target is null || s.Target == query.Target)
                .Where(s => procedure is null || s.Procedure == procedure.Name)];
            return RunOperationResult.Ok(new RunListPage(items, string.IsNullOrEmpty(page.ContinuationToken) ? null : page.ContinuationToken, pageSize));
        }

        return RunOperationResult.Ok(new RunListPage([], null, pageSize));
    }

    /// <summary>Asks a running run to stop before its next step. Body (optional): <c>{"requestedBy","reason"}</c>; the credential's name wins.</summary>
    public async Task<RunOperationResult> CancelAsync(string id, string? body, RequestCaller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        CancelRequest cancel;
        try
        {
            cancel = ReadCancel(body);
        }
        catch (JsonException e)
        {
            return RunOperationResult.Problem(400, $"The cancel request must be JSON such as {{\"requestedBy\":\"alice\",\"reason\":\"...\"}} (or empty): {JsonErrorText.Reason(e)}");
        }

        if (cancel.RequestedBy.Length > MaxText || cancel.Reason.Length > MaxText)
        {
            return RunOperationResult.Problem(422, $"'requestedBy' and 'reason' may have at most {MaxText} characters.");
        }

        (OrchestrationMetadata? run, RunOperationResult? refusal) = await FindRunningAsync(id, "cancel", caller, cancellationToken);
        if (run is null)
        {
            return refusal!;
        }

        cancel = cancel with { RequestedBy = caller.NameOr(cancel.RequestedBy) };
        await _client.RaiseEventAsync(id, Run.CancelEvent, cancel, cancellationToken);
        return RunOperationResult.Accepted(id, new { id, message = "Cancel requested: the run stops before its next step; the step in flight finishes, and the record says what had changed." });
    }

    /// <summary>The last resort: ends the orchestration at once, then files a record of what it had done so far.</summary>
    public async Task<RunOperationResult> TerminateAsync(string id, string? reason, RequestCaller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (reason is { Length: > MaxText })
        {
            return RunOperationResult.Problem(422, $"'reason' may have at most {MaxText} characters.");
        }

        (OrchestrationMetadata? run, RunOperationResult? refusal) = await FindRunningAsync(id, "terminate", caller, cancellationToken);
        if (run is null)
        {
            return refusal!;
        }

        string? why = caller.Name is null ? reason : $"by {caller.Name}{(string.IsNullOrWhiteSpace(reason) ? "" : ": " + reason)}";
        await _client.TerminateInstanceAsync(id, why, cancellationToken);
        string? log = await _intake.FileTerminatedAsync(id, why, cancellationToken);
        return RunOperationResult.Accepted(id, new { id, restartLog = log });
    }

    /// <summary>Raises an application event on a running run. Approve, reject and cancel have routes of their own that check who sends them.</summary>
    public async Task<RunOperationResult> RaiseEventAsync(string id, string name, string? body, RequestCaller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(caller);
        if (!EventNamePattern().IsMatch(name))
        {
            return RunOperationResult.Problem(400, $"Event name '{Printable(name)}' is invalid: use 1 to 64 letters, digits, '-' or '_'.");
        }

        if (name is Run.ApproveEvent or Run.RejectEvent)
        {
            return RunOperationResult.Problem(409, $"'{name}' is a decision on the run's plan: send it with POST /api/remediations/{{id}}/{name}, which checks the approver and the plan hash.");
        }

        JsonElement? payload;
        try
        {
            payload = ParseOrNull(body);
        }
        catch (JsonException e)
        {
            return RunOperationResult.Problem(400, $"The event payload must be JSON (or empty): {JsonErrorText.Reason(e)}");
        }

        (OrchestrationMetadata? run, RunOperationResult? refusal) = await FindRunningAsync(id, "raise an event on", caller, cancellationToken);
        if (run is null)
        {
            return refusal!;
        }

        await _client.RaiseEventAsync(id, name, payload, cancellationToken);
        return RunOperationResult.Accepted(id, new { id, @event = name });
    }

    /// <summary>
    /// Approves (or rejects) the plan a run waits on. Body: <c>{"approver","planHash","comment"}</c>. The approver is the
    /// credential's name when it has one (a different name in the body is refused, 403); the requester may not approve
    /// (403); the hash must be the plan's (409, with the plan's hash). Reject needs no hash, but a wrong one is refused too.
    /// </summary>
    public async Task<RunOperationResult> DecideAsync(string id, string? body, bool approve, RequestCaller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        string verb = approve ? "approve" : "reject";
        DecisionBody decision;
        try
        {
            decision = JsonSerializer.Deserialize<DecisionBody>(string.IsNullOrWhiteSpace(body) ? "{}" : body, DecisionJson) ?? new DecisionBody();
        }
        catch (JsonException e)
        {
            return RunOperationResult.Problem(400, $"The {verb} request must be JSON such as {{\"approver\":\"bob\",\"planHash\":\"…\",\"comment\":\"…\"}}: {JsonErrorText.Reason(e)}");
        }

        if ((decision.Approver?.Length ?? 0) > 100 || (decision.Comment?.Length ?? 0) > MaxText || (decision.PlanHash?.Length ?? 0) > 128
            || (decision.Approver ?? "").Any(char.IsControl))
        {
            return RunOperationResult.Problem(422, $"'approver' may have at most 100 printable characters, 'comment' {MaxText}, 'planHash' 128.");
        }

        if (caller.Name is { } named && !string.IsNullOrWhiteSpace(decision.Approver) && !ApprovalGate.SamePerson(named, decision.Approver))
        {
            return RunOperationResult.Problem(403, $"The credential names '{named}', not '{Printable(decision.Approver)}': an approval is recorded under the credential's name; leave 'approver' out or make it match.");
        }

        string approver = caller.NameOr(decision.Approver?.Trim() ?? "");
        if (approver.Length == 0)
        {
            return RunOperationResult.Problem(400, $"'approver' is required: who decides (the credential names nobody).");
        }

        if (approve && string.IsNullOrWhiteSpace(decision.PlanHash))
        {
            return RunOperationResult.Problem(400, "'planHash' is required: the hash of the plan you approve, as GET /api/remediations/{id} shows it (progress.approval.planHash).");
        }

        (OrchestrationMetadata? run, RunOperationResult? refusal) = await FindRunningAsync(id, verb, caller, cancellationToken);
        if (run is null)
        {
            return refusal!;
        }

        RunProgress? progress = ProgressOf(run);
        if (progress?.Approval is not { Status: ApprovalStatus.Awaiting } awaiting)
        {
            return RunOperationResult.Problem(409, $"Remediation '{id}' is not waiting for approval{(progress?.Approval is { } a ? $" (its approval is {a.Status})" : "")}; there is nothing to {verb}.");
        }

        if (approve && ApprovalGate.SamePerson(approver, awaiting.RequestedBy))
        {
            LogSelfApproval(_logger, id, approver);
            return RunOperationResult.Problem(403, $"'{approver}' requested remediation '{id}' and cannot approve it: another person must.");
        }

        if (!string.IsNullOrWhiteSpace(decision.PlanHash) && !string.Equals(decision.PlanHash.Trim(), awaiting.PlanHash, StringComparison.OrdinalIgnoreCase))
        {
            return RunOperationResult.Problem(
                409,
                $"The plan awaiting approval has hash {awaiting.PlanHash}, not {Printable(decision.PlanHash)}: read the plan again (GET /api/remediations/{id}) and {verb} the one it shows.",
                new Dictionary<string, object?> { ["planHash"] = awaiting.PlanHash });
        }

        var payload = new ApprovalDecision(approver, decision.PlanHash?.Trim() ?? "", decision.Comment?.Trim() ?? "");
        await _client.RaiseEventAsync(id, approve ? Run.ApproveEvent : Run.RejectEvent, payload, cancellationToken);
        LogDecision(_logger, id, verb, approver);
        return RunOperationResult.Accepted(id, new
        {
            id,
            decision = verb,
            approver,
            planHash = awaiting.PlanHash,
            message = approve ? "Approved: the run goes on with the plan it showed." : "Rejected: the run ends without changing anything.",
        });
    }

    private async Task<(OrchestrationMetadata?, RunOperationResult?)> FindRunningAsync(string id, string action, RequestCaller caller, CancellationToken cancellationToken)
    {
        OrchestrationMetadata? run = InstanceIds.CanExist(id) ? await _client.GetInstanceAsync(id, getInputsAndOutputs: true, cancellationToken) : null;
        if (run is null)
        {
            return (null, RunOperationResult.Problem(404, $"There is no remediation with id '{id}'."));
        }

        string procedure = ProcedureCatalog.ByOrchestrator(run.Name)?.Name ?? run.Name;
        if (!caller.MayActOn(procedure))
        {
            return (null, RunOperationResult.Problem(403, $"The credential '{caller.Name}' may not {action} runs of procedure '{procedure}'; it is limited to {string.Join(", ", caller.Procedures ?? [])}."));
        }

        if (run.IsCompleted)
        {
            return (null, RunOperationResult.Problem(409, $"Remediation '{id}' has already finished ({run.RuntimeStatus}); there is nothing to {action}."));
        }

        return (run, null);
    }

    private static RunSummary Summarize(OrchestrationMetadata run)
    {
        RunProgress? progress = ProgressOf(run);
        SummaryInput? input = null;
        try
        {
            input = string.IsNullOrEmpty(run.SerializedInput) ? null : JsonSerializer.Deserialize<SummaryInput>(run.SerializedInput, RecordJson.Options);
        }
        catch (JsonException)
        {
            // Not one of ours: listed without the fields its input would give.
        }

        return new RunSummary
        {
            Id = run.InstanceId,
            Procedure = ProcedureCatalog.ByOrchestrator(run.Name)?.Name ?? run.Name,
            Target = input?.Target ?? progress?.Target,
            Service = input?.Service,
            RuntimeStatus = run.RuntimeStatus.ToString(),
            CreatedAt = run.CreatedAt,
            LastUpdatedAt = run.LastUpdatedAt,
            RequestedBy = input?.RequestedBy,
            Phase = progress?.Phase,
            Outcome = progress?.Outcome?.ToString(),
            AwaitingApprovalOfPlan = !run.IsCompleted && progress?.Approval is { Status: ApprovalStatus.Awaiting } a ? a.PlanHash : null,
        };
    }

    private static RunProgress? ProgressOf(OrchestrationMetadata run)
    {
        if (string.IsNullOrEmpty(run.SerializedCustomStatus))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<RunProgress>(run.SerializedCustomStatus, RecordJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static CancelRequest ReadCancel(string? body)
    {
        JsonElement? payload = ParseOrNull(body);
        if (payload is not { ValueKind: JsonValueKind.Object } element)
        {
            return payload is null ? new CancelRequest() : throw new JsonException("the body is not a JSON object");
        }

        string Text(string name) => element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() ?? "" : "";
        return new CancelRequest(Text("requestedBy"), Text("reason"));
    }

    private static JsonElement? ParseOrNull(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        using JsonDocument document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    private static string Printable(string value) => new([.. value.Take(80).Select(c => char.IsControl(c) ? '?' : c)]);

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex EventNamePattern();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused self-approval of remediation {InstanceId} by {Approver}")]
    private static partial void LogSelfApproval(ILogger logger, string instanceId, string approver);

    [LoggerMessage(Level = LogLevel.Information, Message = "Remediation {InstanceId}: {Decision} sent by {Approver}")]
    private static partial void LogDecision(ILogger logger, string instanceId, string decision, string approver);

    private sealed record DecisionBody
    {
        public string? Approver { get; init; }
        public string? PlanHash { get; init; }
        public string? Comment { get; init; }
    }

    private sealed record SummaryInput
    {
        public string? Target { get; init; }
        public string? Service { get; init; }
        public string? RequestedBy { get; init; }
    }
}
