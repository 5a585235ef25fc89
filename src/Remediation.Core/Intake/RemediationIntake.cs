using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Remediation.Artifacts;
using Remediation.Intake.Approvals;
using Remediation.Intake.Budget;
using Remediation.Intake.Escalations;
using Remediation.Intake.Locks;
using Remediation.Procedures.Escalate;
using Remediation.Runs;
using Remediation.Inventory;

namespace Remediation.Intake;

/// <summary>
/// Parses, validates, routes and dedupes remediation requests, then schedules the orchestration. Nothing is
/// scheduled unless every check passed; one state-changing run per target at a time (a lock in storage, across processes) — a duplicate joins it, another procedure is refused with 409.
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

    private const int MaxLockAttempts = 5;

    /// <summary>How long a lock may name a run that does not exist yet (taken, not yet scheduled) before it counts as stale.</summary>
    private static readonly TimeSpan SchedulingGrace = TimeSpan.FromSeconds(30);

    private readonly DurableTaskClient _client;
    private readonly Inventory.Inventory _inventory;
    private readonly TimeProvider _time;
    private readonly ILogger<RemediationIntake> _logger;
    private readonly IArtifactStore _artifacts;
    private readonly ITargetLocks _locks;
    private readonly RestartBudget? _budget;
    private readonly ApprovalPolicy _approvals;
    private readonly EscalationRepeats? _escalations;
    private readonly SingleFlight<IntakeResult> _admissions = new();

    public RemediationIntake(
        DurableTaskClient client, Inventory.Inventory inventory, TimeProvider time, ILogger<RemediationIntake> logger, IArtifactStore artifacts, ITargetLocks locks,
        RestartBudget? budget = null, ApprovalPolicy? approvals = null, EscalationRepeats? escalations = null)
    {
        _budget = budget;
        _escalations = escalations;
        _approvals = approvals ?? ApprovalPolicy.Default;
        _locks = locks;
        _client = client;
        _inventory = inventory;
        _time = time;
        _logger = logger;
        _artifacts = artifacts;
    }

    public Task<IntakeResult> StartAsync(string requestBody, CancellationToken cancellationToken) =>
        StartAsync(requestBody, RequestCaller.Unnamed, cancellationToken);

    public async Task<IntakeResult> StartAsync(string requestBody, RequestCaller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        (ValidatedRequest? validated, IntakeResult? rejection) = Validate(requestBody);
        if (validated is not null && !caller.MayActOn(validated.Procedure.Name))
        {
            rejection = IntakeResult.Rejected(403, $"The credential '{caller.Name}' may not run procedure '{validated.Procedure.Name}'; it is limited to {string.Join(", ", caller.Procedures ?? [])}.");
            validated = null;
        }

        if (validated is null)
        {
            LogRejected(_logger, rejection!.ErrorStatus ?? 400, rejection.Error ?? "");
            return rejection!;
        }

        // The requester is who the credential names; the body's name counts only when no credential names anyone.
        return await StartValidatedAsync(validated with { RequestedBy = caller.NameOr(validated.RequestedBy) }, cancellationToken);
    }

    /// <summary>
    /// Starts (or joins) a request that passed validation — the portal's and every alert's path alike: the target's lock,
    /// then the restart budget (an automatic trigger past it escalates instead), then the orchestration.
    /// </summary>
    public Task<IntakeResult> StartValidatedAsync(ValidatedRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return StartValidatedAsync(request, NewInstanceId(request), cancellationToken);
    }

    /// <summary>Starts a request under an instance id the caller chose (a maintenance window's occurrence, a rollout's target).</summary>
    public async Task<IntakeResult> StartAsync(RemediationRequest request, string instanceId, RunTrigger trigger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(trigger);
        if (!IsPlausibleInstanceId(instanceId))
        {
            return IntakeResult.Rejected(422, $"'{Printable(instanceId)}' is not a usable instance id: up to 200 letters, digits, '.', '-', '_' or '@'.");
        }

        (ValidatedRequest? validated, IntakeResult? rejection) = Validate(JsonSerializer.Serialize(request, RequestJson));
        if (validated is null)
        {
            LogRejected(_logger, rejection!.ErrorStatus ?? 400, rejection.Error ?? "");
            return rejection!;
        }

        return await StartValidatedAsync(validated with { Trigger = trigger }, instanceId, cancellationToken);
    }

    private async Task<IntakeResult> StartValidatedAsync(ValidatedRequest request, string instanceId, CancellationToken cancellationToken)
    {
        // Every path (portal, alert, schedule) gets its approval terms here, from the run's own trigger.
        request = request with
        {
            Approval = request.Approval ?? (request.Procedure.ChangesState ? _approvals.TermsFor(request.Trigger.Kind, request.Procedure.Name) : null),
        };

        if (!request.Procedure.ChangesState || request.DryRun)
        {
            // Read-only runs take no lock: they change nothing, so they may run beside anything.
            await ScheduleAsync(request, instanceId, cancellationToken);
            return IntakeResult.Started(instanceId, joinedExisting: false);
        }

        // Concurrent duplicates (an alert storm) share one admission: one lock attempt, one stale check, one budget
        // take; the others join the run it started or get its answer.
        (IntakeResult admitted, bool shared) = await _admissions.RunAsync(
            request.Target.Name + "\n" + request.Procedure.DuplicateKey(request), () => AdmitAsync(request, instanceId, CancellationToken.None));
        if (shared && admitted.Accepted && !admitted.EscalatedInstead && admitted.InstanceId != instanceId)
        {
            LogJoined(_logger, admitted.InstanceId!);
            return IntakeResult.Started(admitted.InstanceId!, joinedExisting: true);
        }

        return admitted;
    }

    /// <summary>Takes the target's lock and the budget, then schedules; or joins the duplicate that holds it, or says who does.</summary>
    private async Task<IntakeResult> AdmitAsync(ValidatedRequest request, string instanceId, CancellationToken cancellationToken)
    {
        string target = request.Target.Name;
        var holder = new TargetLockHolder(instanceId, request.Procedure.Name, request.Procedure.DuplicateKey(request), _time.GetUtcNow().UtcDateTime);
        for (int attempt = 0; attempt < MaxLockAttempts; attempt++)
        {
            TargetLockAttempt taken = await _locks.TryAcquireAsync(target, holder, cancellationToken);
            if (taken.Acquired)
            {
                BudgetDecision budget;
                try
                {
                    budget = _budget is null ? BudgetDecision.Allow([]) : await _budget.TakeAsync(request, instanceId, cancellationToken);
                    if (budget.Allowed)
                    {
                        await ScheduleAsync(request, instanceId, cancellationToken);
                    }
                }
                catch
                {
                    await _locks.ReleaseAsync(target, instanceId, CancellationToken.None);
                    throw;
                }

                if (!budget.Allowed)
                {
                    await _locks.ReleaseAsync(target, instanceId, CancellationToken.None);
                    return await EscalateAsync(request, budget.Refusal ?? "restart budget exhausted", budget.Notes, cancellationToken);
                }

                return IntakeResult.Started(instanceId, joinedExisting: false) with { Notes = budget.Notes };
            }

            if (taken.Holder is not { } running || taken.ETag is not { } etag)
            {
                continue;   // released between our create and our read: try again
            }

            if (await IsStaleAsync(running, cancellationToken))
            {
                LogStaleLock(_logger, target, running.InstanceId);
                await _locks.BreakAsync(target, etag, cancellationToken);
                continue;
            }

            // Our own lock, taken by an earlier attempt of the same caller that did not get to schedule: schedule now.
            if (running.InstanceId == instanceId)
            {
                await ScheduleAsync(request, instanceId, cancellationToken);
                return IntakeResult.Started(instanceId, joinedExisting: false);
            }

            if (running.DuplicateKey == holder.DuplicateKey)
            {
                LogJoined(_logger, running.InstanceId);
                return IntakeResult.Started(running.InstanceId, joinedExisting: true);
            }

            string busy = $"Target '{target}' is busy: remediation '{running.InstanceId}' ({running.Procedure}) has held it since {running.AcquiredUtc:yyyy-MM-dd HH:mm:ss} UTC, "
                + "and only one state-changing run per target may run at a time. Wait for it to finish or terminate it, then retry.";
            LogRejected(_logger, 409, busy);
            return IntakeResult.Busy(busy, running.InstanceId);
        }

        return IntakeResult.Rejected(409, $"Target '{target}' changed hands {MaxLockAttempts} times while this request tried to take it; retry.");
    }

    /// <summary>
    /// No run on the target, an escalation run instead (it notifies and files the record saying why): past the budget, or
    /// by policy. The same problem escalated recently is not escalated again: the answer names that escalation.
    /// </summary>
    public async Task<IntakeResult> EscalateAsync(ValidatedRequest request, string why, IReadOnlyList<string> notes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(notes);
        string id = $"{Procedures.ProcedureNames.Escalate}.{request.Target.Name}.{request.Service?.Name ?? "all"}."
            + _time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture)
            + "-" + Convert.ToHexStringLower(BitConverter.GetBytes(Random.Shared.Next()))[..6];
        if (_escalations is not null)
        {
            EscalationClaim claim = await _escalations.ClaimAsync(
                request.Target.Name, $"{request.Procedure.Name}.{request.Service?.Name ?? "all"}", id,
                EscalationStandsAsync, cancellationToken);
            if (!claim.IsNew)
            {
                string repeat = string.Create(CultureInfo.InvariantCulture,
                    $"{why}; already escalated by run {claim.InstanceId} at {claim.EscalatedAtUtc:yyyy-MM-dd HH:mm:ss} UTC, so not again before {claim.RepeatsUntilUtc:HH:mm:ss} UTC (repeat {claim.Repeats})");
                LogRepeatedEscalation(_logger, claim.InstanceId, request.Procedure.Name, request.Target.Name, claim.Repeats);
                return IntakeResult.Escalated(claim.InstanceId, repeat) with { Notes = notes };
            }

            if (claim.Previous is { } previous)
            {
                notes = [.. notes, string.Create(CultureInfo.InvariantCulture,
                    $"the previous escalation (run {previous.InstanceId} at {previous.AtUtc:yyyy-MM-dd HH:mm:ss} UTC) was followed by {previous.Repeats} repeat(s), the last at {previous.LastRepeatUtc:HH:mm:ss} UTC, without paging")];
            }
        }

        var input = new EscalateRequest
        {
            Target = request.Target.Name,
            Procedure = request.Procedure.Name,
            Service = request.Service?.Name,
            Reason = request.Reason,
            RequestedBy = request.RequestedBy,
            Why = string.Join("; ", [why, .. notes]),
            Trigger = request.Trigger,
        };
        await _client.ScheduleNewOrchestrationInstanceAsync(nameof(EscalateOrchestrator), input, new StartOrchestrationOptions(id), cancellationToken);
        LogEscalated(_logger, id, request.Procedure.Name, request.Target.Name, why);
        return IntakeResult.Escalated(id, why) with { Notes = notes };
    }

    /// <summary>
    /// An escalation stands for its problem while its run is pending or running, or has ended having reached someone (or
    /// having had nobody to reach); one that failed, was terminated, or whose every notification failed is no page at all.
    /// </summary>
    private async Task<bool> EscalationStandsAsync(string instanceId, CancellationToken cancellationToken)
    {
        OrchestrationMetadata? run = await _client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, cancellationToken);
        if (run is null || run.RuntimeStatus is OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated)
        {
            return false;
        }

        return run.RuntimeStatus != OrchestrationRuntimeStatus.Completed
            || run.ReadOutputAs<RunRecord>() is not { Notifications.Count: > 0 } record
            || record.Notifications.Any(n => n.Delivered);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Procedure} on {Target} escalated again: counted on escalation {InstanceId} (repeat {Repeats}), nobody notified twice")]
    private static partial void LogRepeatedEscalation(ILogger logger, string instanceId, string procedure, string target, int repeats);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Escalation {InstanceId} instead of {Procedure} on {Target}: {Why}")]
    private static partial void LogEscalated(ILogger logger, string instanceId, string procedure, string target, string why);

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
        JsonNode? progress = ParseOrNull(metadata.SerializedCustomStatus);
        JsonNode? result = metadata.RuntimeStatus switch
        {
            OrchestrationRuntimeStatus.Failed => await FiledRecordAsync(progress, cancellationToken),
            OrchestrationRuntimeStatus.Terminated => AsOutput(TerminatedRecord.From(metadata.InstanceId, metadata.SerializedCustomStatus, metadata.SerializedInput, metadata.CreatedAt, metadata.LastUpdatedAt, TerminationReason(metadata.SerializedOutput))),
            _ => ParseOrNull(metadata.SerializedOutput),
        };
        return new RemediationView
        {
            Id = metadata.InstanceId,
            Procedure = ProcedureCatalog.ByOrchestrator(metadata.Name)?.Name ?? metadata.Name,
            RuntimeStatus = metadata.RuntimeStatus.ToString(),
            CreatedAt = metadata.CreatedAt,
            LastUpdatedAt = metadata.LastUpdatedAt,
            Input = ParseOrNull(metadata.SerializedInput),
            Progress = progress,
            Result = result,
            Failure = failed ? FailureOf(metadata) : null,
        };
    }

    /// <summary>
    /// A run that failed (or was terminated) has no output, but filed its record before it ended: the API shows what
    /// it did and found from that record, as for any other ending.
    /// </summary>
    private async Task<JsonNode?> FiledRecordAsync(JsonNode? progress, CancellationToken cancellationToken)
    {
        if (progress?["record"]?.GetValue<string>() is not { } link)
        {
            return null;
        }

        string? json = await _artifacts.ReadAsync(link, cancellationToken);
        return json is null ? null : AsOutput(JsonSerializer.Deserialize<RunRecord>(json, RecordJson.Options));
    }

    /// <summary>A record shaped as a completed run's output is, so every ending reads the same in the API.</summary>
    private static JsonNode? AsOutput(RunRecord? record) => record is null ? null : ParseOrNull(JsonSerializer.Serialize(record));

    public async Task<string?> FileTerminatedAsync(string instanceId, string? reason, CancellationToken cancellationToken)
    {
        // Termination is a message the task hub applies asynchronously: wait briefly until the run says it ended.
        OrchestrationMetadata? metadata = null;
        DateTimeOffset giveUpAt = _time.GetUtcNow() + TimeSpan.FromSeconds(15);
        while (_time.GetUtcNow() < giveUpAt)
        {
            metadata = await _client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, cancellationToken);
            if (metadata is null || metadata.IsCompleted)
            {
                break;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), _time, cancellationToken);
        }

        if (metadata is not { RuntimeStatus: OrchestrationRuntimeStatus.Terminated }
            || TerminatedRecord.From(instanceId, metadata.SerializedCustomStatus, metadata.SerializedInput, metadata.CreatedAt, metadata.LastUpdatedAt, reason) is not { } record)
        {
            return null;
        }

        ArtifactLinks links = await _artifacts.WriteRestartLogAsync(record, cancellationToken);

        // The run can no longer release its target itself; only a lock that names it is released.
        await _locks.ReleaseAsync(record.Target, instanceId, cancellationToken);
        LogTerminatedFiled(_logger, instanceId, links.RestartLog);
        return links.RestartLog;
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

        return Validate(request);
    }

    /// <summary>Checks a parsed request (from the portal's JSON or from an alert's routing rule) against the inventory and the catalogue.</summary>
    public (ValidatedRequest? Request, IntakeResult? Rejection) Validate(RemediationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);

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

        if (procedure.Scope == ProcedureScope.NamedService && string.IsNullOrWhiteSpace(request.Service))
        {
            return Reject(400, $"'service' is required for procedure '{procedure.Name}'.");
        }

        if (procedure.Scope == ProcedureScope.WholeTarget && request.Service is not null)
        {
            return Reject(422, $"Procedure '{procedure.Name}' acts on the whole target; do not name a 'service'.");
        }

        if (request.Mode is not null && !procedure.Modes.Contains(request.Mode, StringComparer.Ordinal))
        {
            return Reject(422, procedure.Modes.Count == 0
                ? $"Procedure '{procedure.Name}' has no modes; remove 'mode'."
                : $"'mode' value '{Printable(request.Mode)}' is not one of {string.Join(", ", procedure.Modes)} for procedure '{procedure.Name}'.");
        }

        if (request.LongQueryThresholdSeconds is { } threshold && (procedure.Name != Procedures.ProcedureNames.RestartPostgresql || threshold is < 1 or > 86400))
        {
            return Reject(422, procedure.Name != Procedures.ProcedureNames.RestartPostgresql
                ? $"'longQueryThresholdSeconds' applies only to procedure '{Procedures.ProcedureNames.RestartPostgresql}'."
                : "'longQueryThresholdSeconds' must be between 1 and 86400.");
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

        if (procedure.Scope == ProcedureScope.ServiceOfKind)
        {
            ServiceKind kind = procedure.Kind!.Value;
            if (service is not null && service.Kind != kind)
            {
                return Reject(422, $"Procedure '{procedure.Name}' needs a service of kind {kind}; '{service.Name}' on '{target.Name}' is {service.Kind}.");
            }

            List<ServiceDefinition> ofKind = [.. target.Services.Where(s => s.Kind == kind)];
            if (service is null && ofKind.Count != 1)
            {
                return Reject(ofKind.Count == 0 ? 404 : 400, ofKind.Count == 0
                    ? $"Target '{target.Name}' has no service of kind {kind}, which procedure '{procedure.Name}' needs."
                    : $"Target '{target.Name}' has several services of kind {kind} ({string.Join(", ", ofKind.Select(s => s.Name))}); name one in 'service'.");
            }

            service ??= ofKind[0];
        }

        if (service is not null && procedure.UseInstead.TryGetValue(service.Kind, out string? instead))
        {
            return Reject(422, $"Procedure '{procedure.Name}' does not act on '{service.Name}' ({service.Kind}): its dependents must be stopped first; use procedure '{instead}'.");
        }

        string reason = string.IsNullOrWhiteSpace(request.Reason) ? "Not given" : request.Reason.Trim();
        string requestedBy = string.IsNullOrWhiteSpace(request.RequestedBy) ? "unknown" : request.RequestedBy.Trim();
        return (new ValidatedRequest(procedure, target, service, reason, requestedBy, request.Force, request.DryRun)
        {
            Mode = procedure.Modes.Count > 0 ? request.Mode ?? procedure.Modes[0] : null,
            LongQueryThresholdSeconds = request.LongQueryThresholdSeconds,
        }, null);
    }

    private string NewInstanceId(ValidatedRequest request) =>
        $"{request.Procedure.Name}.{request.Target.Name}.{request.Service?.Name ?? "all"}."
        + _time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture)
        + "-" + Convert.ToHexStringLower(BitConverter.GetBytes(Random.Shared.Next()))[..6];

    private async Task ScheduleAsync(ValidatedRequest request, string instanceId, CancellationToken cancellationToken)
    {
        await _client.ScheduleNewOrchestrationInstanceAsync(
            request.Procedure.Orchestrator,
            request.Procedure.BuildInput(request),
            new StartOrchestrationOptions(instanceId),
            cancellationToken);
        LogStarted(_logger, instanceId, request.Procedure.Name, request.Target.Name, request.RequestedBy);
    }

    /// <summary>
    /// A lock outlives its run when the run was terminated or crashed past its last step. It is stale when its run has
    /// ended, or when no such run appeared within the scheduling grace period after the lock was taken.
    /// </summary>
    private async Task<bool> IsStaleAsync(TargetLockHolder holder, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(holder.InstanceId))
        {
            return true;
        }

        OrchestrationMetadata? run = await _client.GetInstanceAsync(holder.InstanceId, getInputsAndOutputs: false, cancellationToken);
        if (run is null)
        {
            return _time.GetUtcNow().UtcDateTime - holder.AcquiredUtc > SchedulingGrace;
        }

        return run.RuntimeStatus is OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated;
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Remediation {InstanceId} was terminated; its record was filed from its last progress at {RestartLog}")]
    private static partial void LogTerminatedFiled(ILogger logger, string instanceId, string restartLog);

    /// <summary>The task hub keeps a termination's reason as the run's output, serialized as a JSON string.</summary>
    private static string? TerminationReason(string? output) =>
        output is not null && output.StartsWith('"') && ParseOrNull(output) is JsonValue value && value.TryGetValue(out string? text) ? text : output;

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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Target {Target}: the lock of run {InstanceId} is stale (the run has ended); breaking it")]
    private static partial void LogStaleLock(ILogger logger, string target, string instanceId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rejected remediation request ({Status}): {Reason}")]
    private static partial void LogRejected(ILogger logger, int status, string reason);
}
