using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Remediation.Intake.Locks;
using Remediation.Runs;

namespace Remediation.Intake.Alerts;

/// <summary>
/// The one alert path of both hosts: parse the source's native payload, route each alert by the rules, validate every
/// request against the inventory (any refusal refuses the whole notification, nothing done), ask the policy, then act —
/// through <see cref="RemediationIntake"/>'s lock, budget and scheduling — and file a receipt of every alert's outcome.
/// Credentials are checked by the host before this is called.
/// </summary>
public sealed partial class AlertIntake
{
    private const int MaxAttachmentsPerEvent = 100;

    private readonly IReadOnlyDictionary<string, IAlertParser> _parsers;
    private readonly AlertRouter _router;
    private readonly RemediationIntake _intake;
    private readonly IAlertPolicy _policy;
    private readonly ITargetLocks _locks;
    private readonly DurableTaskClient _client;
    private readonly IAlertReceipts _receipts;
    private readonly TimeProvider _time;
    private readonly ILogger<AlertIntake> _logger;
    private readonly GroupCommit<(string RunId, AlertAttachment Alert), bool> _attachments;

    public AlertIntake(
        IEnumerable<IAlertParser> parsers, AlertRouter router, RemediationIntake intake, IAlertPolicy policy, ITargetLocks locks,
        DurableTaskClient client, IAlertReceipts receipts, TimeProvider time, ILogger<AlertIntake> logger)
    {
        _parsers = parsers.ToDictionary(p => p.Source, StringComparer.Ordinal);
        _router = router;
        _intake = intake;
        _policy = policy;
        _locks = locks;
        _client = client;
        _receipts = receipts;
        _time = time;
        _logger = logger;
        _attachments = new GroupCommit<(string RunId, AlertAttachment Alert), bool>(AttachAsync, MaxAttachmentsPerEvent);
    }

    public async Task<AlertIntakeResult> ReceiveAsync(string source, string body, CancellationToken cancellationToken)
    {
        if (!_parsers.TryGetValue(source, out IAlertParser? parser))
        {
            return AlertIntakeResult.Refused(404, $"Unknown alert source '{AlertJson.Printable(source)}'; known: {string.Join(", ", _parsers.Keys)}.");
        }

        AlertParseResult parsed = parser.Parse(body);
        if (parsed.Error is { } error)
        {
            LogRefused(_logger, source, 400, error);
            return AlertIntakeResult.Refused(400, $"Not a valid {source} webhook payload: {error}");
        }

        // Route and validate everything before anything is done: one bad alert refuses the notification as a whole.
        var routed = new List<(AlertRoute Route, ValidatedRequest? Request)>(parsed.Alerts.Count);
        foreach (Alert alert in parsed.Alerts)
        {
            AlertRoute route = _router.Route(alert);
            if (route.Ignored)
            {
                routed.Add((route, null));
                continue;
            }

            (ValidatedRequest? request, IntakeResult? rejection) = _intake.Validate(route.Request!);
            if (request is null)
            {
                string why = $"Alert {AlertJson.Printable(alert.Key)} routed by rule '{route.Rule!.Name}': {rejection!.Error}";
                LogRefused(_logger, source, rejection.ErrorStatus ?? 400, why);
                return AlertIntakeResult.Refused(rejection.ErrorStatus ?? 400, why);
            }

            routed.Add((route, request with { Trigger = TriggerOf(alert, route.Rule!) }));
        }

        var outcomes = new List<AlertOutcome>(routed.Count);
        foreach ((AlertRoute route, ValidatedRequest? request) in routed)
        {
            outcomes.Add(request is null
                ? Outcome(route, null, AlertOutcome.Ignored, null, route.IgnoredBecause)
                : route.Alert.Firing ? await FiringAsync(route, request, cancellationToken) : await ResolvedAsync(route, request, cancellationToken));
        }

        AlertReceipt receipt = await _receipts.FileAsync(source, _time.GetUtcNow().UtcDateTime, outcomes);
        LogReceived(_logger, source, receipt.Id, outcomes.Count, outcomes.Count(o => o.Action == AlertOutcome.Started), outcomes.Count(o => o.Action == AlertOutcome.Ignored));
        return new AlertIntakeResult { Status = 202, Receipt = receipt };
    }

    private async Task<AlertOutcome> FiringAsync(AlertRoute route, ValidatedRequest request, CancellationToken cancellationToken)
    {
        AlertPolicyDecision decision = await _policy.DecideAsync(route, request, cancellationToken);
        switch (decision.Action)
        {
            case AlertPolicyAction.Defer:
                return Outcome(route, request, AlertOutcome.Deferred, null, decision.Reason);
            case AlertPolicyAction.Escalate:
                IntakeResult escalation = await _intake.EscalateAsync(request, decision.Reason ?? "the alert policy escalates this alert", [], cancellationToken);
                return Outcome(route, request, AlertOutcome.Escalated, escalation.InstanceId, decision.Reason);
        }

        IntakeResult result = await _intake.StartValidatedAsync(request, cancellationToken);
        if (!result.Accepted)
        {
            // Busy with another procedure, or an unusable lock: the alert is on record; a 4xx would only make the sender retry.
            return Outcome(route, request, AlertOutcome.Refused, result.RunningInstanceId, result.Error);
        }

        if (result.EscalatedInstead)
        {
            return Outcome(route, request, AlertOutcome.Escalated, result.InstanceId, result.Error);
        }

        if (!result.JoinedExisting)
        {
            return Outcome(route, request, AlertOutcome.Started, result.InstanceId, result.Notes.Count > 0 ? string.Join("; ", result.Notes) : null);
        }

        await _attachments.AddAsync((result.InstanceId!, Attachment(route.Alert)));
        return Outcome(route, request, AlertOutcome.Attached, result.InstanceId, "a run for this target and procedure was already in progress");
    }

    /// <summary>A resolved alert acts only on the run it would have started: same target, same procedure and service.</summary>
    private async Task<AlertOutcome> ResolvedAsync(AlertRoute route, ValidatedRequest request, CancellationToken cancellationToken)
    {
        TargetLockHolder? holder = await _locks.HolderAsync(request.Target.Name, cancellationToken);
        if (holder is null || holder.DuplicateKey != request.Procedure.DuplicateKey(request))
        {
            return Outcome(route, request, AlertOutcome.Ignored, holder?.InstanceId, "resolved, and no run of this procedure is in progress on the target: nothing to cancel");
        }

        await _client.RaiseEventAsync(holder.InstanceId, Run.ResolvedEvent, Attachment(route.Alert), cancellationToken);
        return Outcome(route, request, AlertOutcome.CancelRequested, holder.InstanceId, "resolved: the run stops before its next step if it has changed nothing yet, and records it otherwise");
    }

    /// <summary>One event per run for the alerts that arrived together: a storm of duplicates is a handful of events, not one each.</summary>
    private async Task<IReadOnlyList<bool>> AttachAsync(IReadOnlyList<(string RunId, AlertAttachment Alert)> alerts)
    {
        await Task.WhenAll(alerts.GroupBy(a => a.RunId, StringComparer.Ordinal).Select(run =>
            _client.RaiseEventAsync(run.Key, Run.AlertEvent, run.Select(a => a.Alert).ToArray(), CancellationToken.None)));
        return [.. alerts.Select(_ => true)];
    }

    private AlertAttachment Attachment(Alert alert) =>
        new(alert.Source, alert.Status, alert.SourceFingerprint, alert.RuleName, alert.Key, _time.GetUtcNow().UtcDateTime);

    private static RunTrigger TriggerOf(Alert alert, AlertRoutingRule rule) => new()
    {
        Kind = RunTrigger.Alert,
        Source = alert.Source,
        SourceFingerprint = alert.SourceFingerprint,
        AlertRule = alert.RuleName,
        RoutingRule = rule.Name,
        HoldSeconds = Math.Clamp(rule.ActOnlyIfFiringForSeconds, 0, 86400),
    };

    private static AlertOutcome Outcome(AlertRoute route, ValidatedRequest? request, string action, string? runId, string? reason) => new()
    {
        Key = route.Alert.Key,
        Status = route.Alert.Status,
        SourceFingerprint = route.Alert.SourceFingerprint,
        AlertRule = route.Alert.RuleName,
        RoutingRule = route.Rule?.Name,
        Target = request?.Target.Name,
        Procedure = request?.Procedure.Name,
        Action = action,
        RunId = runId,
        Reason = reason,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert notification from {Source} refused ({Status}): {Reason}")]
    private static partial void LogRefused(ILogger logger, string source, int status, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert notification from {Source} filed as {Receipt}: {Count} alert(s), {Started} started, {Ignored} ignored")]
    private static partial void LogReceived(ILogger logger, string source, string receipt, int count, int started, int ignored);
}
