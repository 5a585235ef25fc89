using System.Globalization;
using Microsoft.DurableTask;
using Remediation.Activities.Artifacts;
using Remediation.Activities.Database;
using Remediation.Activities.Logs;
using Remediation.Activities.Runs;
using Remediation.Activities.Services;
using Remediation.Artifacts;
using Remediation.Inventory;
using Remediation.Probes;
using Remediation.Procedures;
using Remediation.Runs.Approvals;
using Remediation.Runs.Plans;
using Remediation.ServiceManagers;

namespace Remediation.Runs;

/// <summary>
/// What a run of any procedure has learned so far — steps, service changes, issues, verification — and how it ends:
/// the record, filed as the restart log, and the target's lock released. Lives inside the orchestrator: it takes
/// time only from the context and is rebuilt identically on replay.
/// </summary>
public sealed class Run
{
    /// <summary>The external event that cancels a run between its steps; its payload is a <see cref="CancelRequest"/>.</summary>
    public const string CancelEvent = "cancel";

    /// <summary>Firing alerts for this run's target arrived while it ran: attached and counted; payload <see cref="AlertAttachment"/>[] (the ones that arrived together).</summary>
    public const string AlertEvent = "alert";

    /// <summary>
    /// The alert that started (or was attached to) this run resolved: before anything changed on the target it cancels the
    /// run; afterwards it is recorded, not acted on. Payload <see cref="AlertAttachment"/>.
    /// </summary>
    public const string ResolvedEvent = "alert-resolved";

    /// <summary>How many attached alerts the record lists one by one; all are counted.</summary>
    public const int MaxAttachmentsListed = 20;

    /// <summary>The external event that approves a run waiting for approval; its payload is an <see cref="ApprovalDecision"/>.</summary>
    public const string ApproveEvent = "approve";

    /// <summary>The external event that rejects a run waiting for approval; its payload is an <see cref="ApprovalDecision"/>.</summary>
    public const string RejectEvent = "reject";

    public const string MonitorFirstHour = "Monitor logs, error rates and resource use for the first hour (runbook: Monitoring After Restart)";

    private static readonly TaskOptions StorageRetry = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 5,
        firstRetryInterval: TimeSpan.FromSeconds(1),
        backoffCoefficient: 2));

    private readonly TaskOrchestrationContext _context;
    private readonly IRunRequest _request;
    private readonly DateTime _started;
    private readonly List<string> _issues = [];
    private readonly List<string> _warnings = [];
    private readonly List<ServiceChangeTracker> _changes = [];
    private StackInspection? _inspection;
    private VerificationReport? _verification;
    private readonly Task<CancelRequest> _cancel;
    private readonly Task<AlertAttachment> _resolved;
    private readonly List<AlertAttachment> _attachments = [];
    private readonly List<Notifications.NotificationDelivery> _notifications = [];
    private int _attachedAlerts;
    private bool _resolvedRecorded;
    private bool _filing;
    private RunPlan? _plan;
    private ApprovalRecord? _approval;

    public Run(TaskOrchestrationContext context, string procedure, IRunRequest request, IReadOnlyList<string> services)
    {
        _context = context;
        _request = request;
        Procedure = procedure;
        _started = context.CurrentUtcDateTime;
        Journal = new RunJournal(context, procedure, request.Target, services);

        // Cancellation is the run's own decision, taken between steps: the step in flight finishes (an activity
        // cannot be recalled), the next one does not begin, and the record says who cancelled and what had changed.
        _cancel = context.WaitForExternalEvent<CancelRequest>(CancelEvent);
        _resolved = context.WaitForExternalEvent<AlertAttachment>(ResolvedEvent);
        _ = CollectAttachedAlertsAsync();
        Journal.BeforeStep = step =>
        {
            if (!_filing && _cancel.IsCompletedSuccessfully)
            {
                throw new RunCancelledException(step, _cancel.Result);
            }

            if (!_filing && !_resolvedRecorded && _resolved.IsCompletedSuccessfully)
            {
                // A resolved alert is only worth a cancellation while the run has changed nothing: after a change,
                // stopping half-way would leave the stack worse than finishing and verifying.
                AlertAttachment resolved = _resolved.Result;
                if (!ChangedAnything)
                {
                    throw CancelledByResolvedAlert(step);
                }

                _resolvedRecorded = true;
                _warnings.Add($"The {resolved.Source} alert {resolved.AlertRule} resolved at {resolved.ReceivedUtc:HH:mm:ss} UTC, after the run had changed the target; recorded, not acted on");
            }
        };
    }

    /// <summary>True once any service was restarted, reloaded, stopped or started by this run.</summary>
    public bool ChangedAnything => _changes.Any(c => c.Action != ServiceAction.None);

    /// <summary>Attached alerts, counted for the record; the loop ends with the orchestration.</summary>
    private async Task CollectAttachedAlertsAsync()
    {
        while (true)
        {
            AlertAttachment[] attached = await _context.WaitForExternalEvent<AlertAttachment[]>(AlertEvent);
            _attachedAlerts += attached.Length;
            _attachments.AddRange(attached.Take(MaxAttachmentsListed - _attachments.Count));
        }
    }

    /// <summary>
    /// Sends a notification in an activity and records each channel's outcome in the record; a failed delivery is a
    /// warning, never a failure of the run.
    /// </summary>
    public async Task NotifyAsync(Notifications.Notification notification)
    {
        IReadOnlyList<Notifications.NotificationDelivery> deliveries;
        try
        {
            deliveries = await _context.CallActivityAsync<IReadOnlyList<Notifications.NotificationDelivery>>(nameof(Activities.Notifications.DeliverNotificationActivity), notification, StorageRetry);
        }
        catch (TaskFailedException e)
        {
            deliveries = [new Notifications.NotificationDelivery("all", notification.Kind, false, 0, e.FailureDetails.ErrorMessage)];
        }

        _notifications.AddRange(deliveries);
        foreach (Notifications.NotificationDelivery failed in deliveries.Where(d => !d.Delivered))
        {
            _warnings.Add($"The {notification.Kind} notification was not delivered to channel '{failed.Channel}' after {failed.Attempts} attempt(s): {failed.Error}");
        }
    }

    /// <summary>
    /// Act only if still firing: waits <paramref name="seconds"/> on a durable timer (it survives a server restart); a
    /// resolved alert or a cancel in that time ends the wait, and the next step then cancels the run before any change.
    /// </summary>
    private async Task HoldWhileFiringAsync(int seconds)
    {
        Journal.Begin("Wait while the alert keeps firing");
        using var stopTimer = new CancellationTokenSource();
        Task timer = _context.CreateTimer(TimeSpan.FromSeconds(seconds), stopTimer.Token);
        Task first = await Task.WhenAny(timer, _resolved, _cancel);
        if (first != timer)
        {
            stopTimer.Cancel();
            Journal.Succeed(first == _resolved ? "the alert resolved during the wait: nothing will be changed" : "cancelled during the wait");
            return;
        }

        Journal.Succeed($"still firing after {seconds} s: acting");
    }

    public string Procedure { get; }

    /// <summary>Completes when someone asks the run to stop (the cancel event).</summary>
    public Task<CancelRequest> CancelRequested => _cancel;

    /// <summary>Completes when the alert that started the run resolves (the alert-resolved event).</summary>
    public Task<AlertAttachment> AlertResolved => _resolved;

    /// <summary>The cancellation a resolved alert causes before <paramref name="step"/> while nothing has been changed.</summary>
    public RunCancelledException CancelledByResolvedAlert(string step)
    {
        _resolvedRecorded = true;
        AlertAttachment resolved = _resolved.Result;
        return new RunCancelledException(step, new CancelRequest($"{resolved.Source} alert {resolved.AlertRule}".Trim(), "the alert resolved before anything was changed"));
    }

    /// <summary>The plan, once <see cref="PlanAsync"/> has made it.</summary>
    public RunPlan? Plan => _plan;

    /// <summary>
    /// Writes down what the run would do from here, with the pre-checks' results, and shows it in the progress: a dry
    /// run returns it, an approver approves it by its hash.
    /// </summary>
    public async Task<RunPlan> PlanAsync(string? service, IReadOnlyList<string> blockers, string? mode = null)
    {
        StepRecord? checks = Journal.Steps.LastOrDefault(s => s.Name.StartsWith("Pre-restart checks", StringComparison.Ordinal));
        var request = new PlanRequest
        {
            Procedure = Procedure,
            Target = _request.Target,
            Service = service,
            Mode = mode,
            Checks = checks is null ? [] : [checks.Summary, .. checks.Details],
            Blockers = blockers,
            Force = _request.Force,
        };
        _plan = await _context.CallActivityAsync<RunPlan>(nameof(PlanRunActivity), request, StorageRetry);
        Journal.ShowPlan(_plan);
        return _plan;
    }

    /// <summary>Keeps the approval's state for the record and shows it in the progress.</summary>
    public void RecordApproval(ApprovalRecord approval)
    {
        _approval = approval;
        Journal.ShowApproval(approval);
    }

    /// <summary>The approval was rejected or timed out: nothing was changed.</summary>
    public RunRecord NotApproved(ApprovalRecord approval)
    {
        RecordApproval(approval);
        string resolution = approval.Status == ApprovalStatus.Rejected
            ? $"Not approved — rejected by {approval.DecidedBy}{(string.IsNullOrWhiteSpace(approval.Comment) ? "" : $" ({approval.Comment})")}; nothing was changed"
            : string.Create(CultureInfo.InvariantCulture, $"Not approved — no decision by {approval.ExpiresUtc:yyyy-MM-dd HH:mm:ss} UTC; the run was aborted and nothing was changed");
        return Record(
            RunOutcome.NotApproved,
            resolution,
            [resolution],
            [approval.Status == ApprovalStatus.Rejected ? "None required: the approver decided against this run" : "Start the run again when an approver is available"],
            nothingChangedNote: "nothing was changed: the run was not approved");
    }

    public RunJournal Journal { get; }

    /// <summary>Where every service's logs ended at the pre-checks; verification scans what was written after.</summary>
    public IReadOnlyList<LogPosition> LogPositions => _inspection?.LogPositions ?? [];

    /// <summary>Starts tracking a service the procedure acts on; its PID before comes from the pre-checks.</summary>
    public ServiceChangeTracker Track(string service, ServiceKind kind)
    {
        ServiceChangeTracker? existing = _changes.Find(c => c.Service == service);
        if (existing is not null)
        {
            return existing;
        }

        var tracker = new ServiceChangeTracker(service, kind) { PidBefore = _inspection?.Find(service)?.Status.MainPid };
        _changes.Add(tracker);
        return tracker;
    }

    /// <summary>Pre-check results older than this are taken again before anything changes (runbook: check status right before acting).</summary>
    public static readonly TimeSpan MaxPreCheckAge = TimeSpan.FromSeconds(60);

    /// <summary>
    /// True when the pre-checks' statuses were read more than <see cref="MaxPreCheckAge"/> ago by the orchestration's
    /// clock — the run was held up between them and its first change — and the procedure must take them again.
    /// </summary>
    public bool PreChecksStale => _inspection is { ReadAtUtc: var read } && read != default && _context.CurrentUtcDateTime - read > MaxPreCheckAge;

    /// <summary>
    /// Every procedure's pre-checks, fresh when the run acts: <paramref name="take"/> runs them (and records them with
    /// <see cref="RecordPreChecks"/>); when their statuses are older than <see cref="MaxPreCheckAge"/> by the time they
    /// are all in — the run was held up by storage or a server restart — they are taken once more, and the record says so.
    /// </summary>
    public async Task<T> FreshPreChecksAsync<T>(string step, Func<Task<T>> take)
    {
        ArgumentNullException.ThrowIfNull(take);
        for (int round = 1; ; round++)
        {
            Journal.Begin(round == 1 ? step : step + " (taken again)");
            T taken = await take();
            if (round > 1 || !PreChecksStale)
            {
                return taken;
            }

            PreChecksRetaken();
        }
    }

    /// <summary>Says in the record that the pre-checks were taken again, and why.</summary>
    private void PreChecksRetaken() => _warnings.Add(string.Create(
        CultureInfo.InvariantCulture,
        $"The pre-checks were {(_context.CurrentUtcDateTime - _inspection!.ReadAtUtc).TotalSeconds:0} s old when the run was ready to act (held up by storage or a server restart); they were taken again before anything was changed"));

    public void Issue(string issue) => _issues.Add(issue);

    public void Warn(string warning) => _warnings.Add(warning);

    /// <summary>Pre-Restart Checklist: the stack's status (and the Odoo workload, when checked).</summary>
    public void RecordPreChecks(StackInspection inspection, WorkloadReport? workload = null, IReadOnlyList<string>? more = null)
    {
        _inspection = inspection;
        foreach (ServiceChangeTracker tracker in _changes)
        {
            // Taken again, the pre-checks' PID is the one the run acts on.
            tracker.PidBefore = inspection.Find(tracker.Service) is { } seen ? seen.Status.MainPid : tracker.PidBefore;
        }

        if (workload?.Unchecked is { } why)
        {
            _issues.Add($"Active users and due cron jobs were not checked ({why}); went ahead because force was given");
        }

        string summary = string.Join(", ", inspection.Statuses) + (workload is null ? "" : "; " + workload.Summary);
        List<string> details = [.. inspection.Statuses.Select(s => $"status: {s} ({s.Status.Detail})")];
        if (workload is not null)
        {
            details.Add($"workload: {workload.Summary}");
            details.AddRange(workload.Evidence);
        }

        details.AddRange(inspection.OdooUnits.Select(u => "pre-flight: " + u.Evidence));
        details.AddRange(more ?? []);
        Journal.Succeed(summary, details);
    }

    /// <summary>
    /// Before a procedure stops an Odoo unit: the pre-flight's warnings (systemd would SIGKILL Odoo before its requests
    /// finish, or signal every worker at once) go into the record. Evidence, not a blocker.
    /// </summary>
    public void WarnAboutOdooStop(StackInspection inspection, string? onlyService = null)
    {
        ArgumentNullException.ThrowIfNull(inspection);
        foreach (OdooUnitPreflight unit in inspection.OdooUnits.Where(u => onlyService is null || u.Service == onlyService))
        {
            foreach (string warning in unit.Warnings.Where(w => !_warnings.Contains(w)))
            {
                _warnings.Add(warning);
            }
        }
    }

    /// <summary>A graceful restart (or reload) command with its readiness watch; false when the service is not ready afterwards.</summary>
    public bool RecordGraceful(ServiceChangeTracker service, RestartAttempt attempt, string verb = "restart")
    {
        service.PidAfter = PidSeen(attempt.After, service.PidAfter);
        if (attempt.Changed)
        {
            if (attempt.Action == "reload")
            {
                service.Reloaded();
            }
            else
            {
                service.Restarted();
            }
        }
        else if (attempt.Action != "none" || (service.PidBefore is not null && service.PidAfter != service.PidBefore))
        {
            service.Restarted();
        }

        if (attempt.EarlierOutage is { } earlier)
        {
            // This watch is part of the evidence already; taken in again it would move the outage's end to a later probe.
            service.MeasuredFromTarget(earlier);
        }
        else
        {
            if (attempt.OutageBeganEarlier is { } unwatched)
            {
                service.NotMeasured(unwatched);
            }

            if (!attempt.Changed && service.Action == ServiceAction.Restart)
            {
                service.NotMeasured("the change ran in an earlier attempt that was interrupted before it could report");
            }

            service.Watched(attempt.Readiness);
        }
        string summary = string.IsNullOrEmpty(attempt.Summary) ? attempt.Action : attempt.Summary;
        IReadOnlyList<string> details = [$"action: {attempt.Action}", $"before: {Describe(attempt.Before)}", $"after: {Describe(attempt.After)}", $"readiness: {Describe(attempt.Readiness)}", .. attempt.ServiceLog];
        if (attempt.Ready)
        {
            Journal.Succeed(summary, details);
            return true;
        }

        string why = attempt.CommandTimedOut ? $"did not finish within the graceful timeout ({summary})"
            : !attempt.CommandSucceeded ? summary
            : $"service not ready afterwards ({Describe(attempt.Readiness)}; state {attempt.After?.RawState})";
        _issues.Add($"Graceful {verb} of {service.Service} failed: {why}{Quote(attempt.ServiceLog)}");
        Journal.Fail(summary, details);
        return false;
    }

    public bool RecordStop(ServiceChangeTracker service, ServiceActionResult stop, bool mustSucceed = false)
    {
        if (stop.Changed && stop.DownEvidence is { } evidence && stop.DownSinceUtc is { } since)
        {
            service.StoppedEarlier(since, evidence);
        }
        else if (stop.Changed)
        {
            service.Stopped(stop.DownSinceUtc);
        }
        else if (stop.Reached)
        {
            service.NotMeasured("it was already down when the run came to stop it; its outage began before this run");
        }

        service.PidAfter = stop.After.MainPid;
        return RecordAction(stop, mustSucceed);
    }

    public bool RecordLeftovers(ServiceChangeTracker service, LeftoverProcessesReport leftovers)
    {
        service.WentDown(leftovers.KilledAtUtc);
        if (leftovers.Remaining.Count > 0)
        {
            _issues.Add(leftovers.Summary);
            Journal.Fail(leftovers.Summary, leftovers.Found);
            return false;
        }

        if (leftovers.KillSent)
        {
            _issues.Add($"Hanging processes of {service.Service} were killed: {leftovers.Summary}");
        }

        Journal.Succeed(leftovers.Summary, leftovers.Found);
        return true;
    }

    public bool RecordStart(ServiceChangeTracker service, ServiceActionResult start)
    {
        // Running already, after this run stopped it: an interrupted delivery of this step started it.
        if (start.Changed || (start.Reached && service.Action == ServiceAction.Stop))
        {
            service.Started();
        }

        service.PidAfter = PidSeen(start.After, service.PidAfter);
        return RecordAction(start, mustSucceed: true);
    }

    /// <summary>A readiness wait after a start; false when the service did not become ready.</summary>
    public bool RecordReadiness(ServiceChangeTracker service, ReadinessOutcome outcome)
    {
        service.Watched(outcome.Timeline);
        service.PidAfter = PidSeen(outcome.Status, service.PidAfter);
        string summary = $"{service.Service}: {Describe(outcome.Status)}; {Describe(outcome.Timeline)}";
        if (outcome.Ready)
        {
            Journal.Succeed(summary);
            return true;
        }

        _issues.Add($"{service.Service} not ready: {summary}{Quote(outcome.ServiceLog)}");
        Journal.Fail(summary, outcome.ServiceLog);
        return false;
    }

    /// <summary>Post-Restart Verification: every failed criterion becomes an issue; false when a critical one failed.</summary>
    public bool RecordVerification(VerificationReport report)
    {
        _verification = report;
        foreach (ServiceChangeTracker tracker in _changes)
        {
            tracker.PidAfter = PidSeen(report.Statuses.FirstOrDefault(s => s.Service == tracker.Service)?.Status, tracker.PidAfter);
        }

        foreach (SuccessCriterion failed in report.Criteria.Where(c => c.Status == CriterionStatus.Failed))
        {
            _issues.Add($"{failed.Name}: {failed.Detail}");
        }

        int passed = report.Criteria.Count(c => c.Passed);
        string summary = $"{passed}/{report.Criteria.Count} success criteria passed, {report.Criteria.Count(c => c.Status == CriterionStatus.Failed)} failed, {report.Criteria.Count(c => c.Status == CriterionStatus.NotEvaluated)} not evaluated";
        List<string> details = [.. report.Criteria.Select(c => $"{c.Status}: {c.Name} — {c.Detail}"), .. report.Evidence];
        if (report.CriticalPassed)
        {
            Journal.Succeed(summary, details);
            return true;
        }

        Journal.Fail(summary, details);
        return false;
    }

    public RunRecord Deferred(IReadOnlyList<string> blockers, string retryHint) => Record(
        RunOutcome.Deferred,
        "Deferred — nothing was changed: " + string.Join("; ", blockers),
        [.. blockers.Select(b => "Deferred: " + b)],
        [retryHint],
        nothingChangedNote: "nothing was changed: the run was deferred");

    public RunRecord DryRun(string plan, string rerunHint) => Record(
        RunOutcome.DryRun,
        $"Dry run — only read-only checks ran; nothing was changed ({plan})",
        [],
        [rerunHint],
        nothingChangedNote: "dry run: nothing was changed");

    public RunRecord Aborted(string why) => Record(
        RunOutcome.Failed,
        "Failed — " + why,
        [.. _issues, why],
        ["Escalate to the on-call operator: the remediation stopped before the stack was verified healthy", "Check the steps below before retrying"]);

    /// <summary>
    /// A dependency of the service is down (<see cref="Procedures.DependencyGate"/>): <paramref name="step"/> is skipped and
    /// the run refused — or, in a dry run, the refusal is the plan. Nothing was touched.
    /// </summary>
    public Task<RunRecord> RefuseForDependencyAsync(string step, string dependencyDown, string followUp)
    {
        Journal.Skip(step, "not restarted: " + dependencyDown);
        _issues.Add(dependencyDown);
        return FileAsync(_request.DryRun
            ? DryRun("would refuse: " + dependencyDown, "Bring the dependency back first")
            : Refused("Failed — " + dependencyDown, [followUp]));
    }

    /// <summary>The procedure refused to act (a failed config test): nothing was changed, and the run fails.</summary>
    public RunRecord Refused(string resolution, IReadOnlyList<string> followUps) => Record(
        RunOutcome.Failed, resolution, _issues, followUps, nothingChangedNote: "nothing was changed");

    /// <summary>A run stopped by a cancel request before <paramref name="nextStep"/>.</summary>
    public RunRecord Cancelled(CancelRequest by, string nextStep)
    {
        string[] changed = [.. _changes.Where(c => c.Action != ServiceAction.None).Select(c => $"{c.Service} ({c.Action.ToString().ToLowerInvariant()})")];
        string what = changed.Length == 0 ? "nothing had been changed on the target" : "already changed: " + string.Join(", ", changed);
        string why = string.IsNullOrWhiteSpace(by.Reason) ? "" : $" ({by.Reason})";
        return Record(
            RunOutcome.Cancelled,
            $"Cancelled by {Who(by)}{why} before \"{nextStep}\"; {what}",
            [.. _issues, $"Cancelled by {Who(by)} before \"{nextStep}\"; {what}"],
            changed.Length == 0 ? ["None required"] : ["The stack was not verified after the changes above: run verify, and restart what is left stopped"],
            nothingChangedNote: changed.Length == 0 ? "nothing was changed: the run was cancelled" : null);
    }

    private static string Who(CancelRequest by) => string.IsNullOrWhiteSpace(by.RequestedBy) ? "an unnamed caller" : by.RequestedBy;

    /// <summary>The outcome once the procedure's actions and verification have run.</summary>
    public RunRecord Concluded(bool actionsSucceeded, string success)
    {
        bool healthy = actionsSucceeded && (_verification?.CriticalPassed ?? false);
        if (!healthy)
        {
            List<string> followUps = ["Escalate to the on-call operator now"];
            if (WentDownUntouched() is { } elsewhere)
            {
                _issues.Add(elsewhere.Issue);
                followUps.Add(elsewhere.FollowUp);
            }

            followUps.Add("Consider the rollback procedure (restore configuration snapshots) and the common-issues diagnosis");
            return Record(
                RunOutcome.Failed,
                _changes.Any(c => c.ForcePathTaken) ? "Failed — not healthy after the force path; escalated" : "Failed — not healthy afterwards; escalated",
                _issues,
                followUps);
        }

        return _issues.Count == 0
            ? Record(RunOutcome.Succeeded, success, [], ["None required"])
            : Record(RunOutcome.SucceededWithIssues, success + " (with issues)", _issues, ["Investigate the issues listed above", MonitorFirstHour]);
    }

    /// <summary>
    /// Services the run did not touch that ran at the pre-checks and are down at the verification: the stack failed
    /// under the run, not because of it, and the follow-up names the procedure that brings them back.
    /// </summary>
    private (string Issue, string FollowUp)? WentDownUntouched()
    {
        if (_verification is null || _inspection is null)
        {
            return null;
        }

        HashSet<string> touched = [.. _changes.Where(c => c.Action != ServiceAction.None).Select(c => c.Service)];
        ServiceStatusReport[] down = [.. _verification.Statuses.Where(s =>
            !s.Status.IsRunning && !touched.Contains(s.Service) && _inspection.Find(s.Service)?.Status.IsRunning == true)];
        if (down.Length == 0)
        {
            return null;
        }

        string names = string.Join(", ", down.Select(s => $"{s.Service} ({s.Status.RawState})"));
        string remedy = down.Any(s => _inspection.KindOf(s.Service) == ServiceKind.Postgresql)
            ? $"Bring PostgreSQL back with {ProcedureNames.RestartPostgresql} (it restarts PostgreSQL, then its dependents) or {ProcedureNames.RestartStack}, then run {ProcedureNames.Verify}"
            : $"Bring the stack back in dependency order with {ProcedureNames.RestartStack}, then run {ProcedureNames.Verify}";
        return ($"{names} ran at the pre-checks and went down during the run, which did not touch it", remedy);
    }

    /// <summary>Runs a procedure's body; a failed step files the record of what happened before the run fails.</summary>
    public async Task<RunRecord> ExecuteAsync(Func<Task<RunRecord>> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        RunRecord record;
        try
        {
            if (_request.Trigger is { HoldSeconds: > 0 } trigger && !_request.DryRun)
            {
                await HoldWhileFiringAsync(trigger.HoldSeconds);
            }

            record = await body();
        }
        catch (RunCancelledException cancelled)
        {
            CancelRequest by = cancelled.Request;
            Journal.Skip(cancelled.NextStep, $"not run: cancelled by {Who(by)}");
            return await FileAsync(Cancelled(by, cancelled.NextStep));
        }
        catch (TaskFailedException failure)
        {
            string step = Journal.Steps.LastOrDefault(s => s.Status == StepStatus.Running)?.Name ?? "a step";
            string cause = failure.FailureDetails.ErrorMessage;
            Journal.FailRunningStep(cause);
            await FileAsync(Aborted($"{step} failed: {cause}"));
            throw new RemediationFailedException($"{step} failed: {cause}", failure);
        }

        return record.Outcome == RunOutcome.Failed
            ? throw new RemediationFailedException(
                $"{Procedure} on {_request.Target} did not leave a healthy stack: {string.Join("; ", record.Issues)}. Next: {string.Join("; ", record.FollowUpActions)}")
            : record;
    }

    /// <summary>Runbook "Documentation": files the restart log and the JSON record, and releases the target for the next run.</summary>
    public async Task<RunRecord> FileAsync(RunRecord record)
    {
        _filing = true;
        Journal.Begin("Restart log");
        record = record with { FinishedUtc = _context.CurrentUtcDateTime };

        // The log is filed by the step that is running now; it lists the steps that have finished.
        RunRecord filed = record with { Steps = [.. Journal.Steps.Where(s => s.Status != StepStatus.Running)] };
        Task<ArtifactLinks> filing = _context.CallActivityAsync<ArtifactLinks>(nameof(WriteRestartLogActivity), filed, StorageRetry);

        // Nothing on the target changes any more: the next run need not wait for the log to be written.
        Task releasing = !_request.DryRun && Procedure is not Procedures.ProcedureNames.Verify and not Procedures.ProcedureNames.Escalate
            ? _context.CallActivityAsync(nameof(ReleaseTargetLockActivity), new TargetLockRelease(_request.Target, _context.InstanceId), StorageRetry)
            : Task.CompletedTask;
        await Task.WhenAll(filing, releasing);
        ArtifactLinks links = await filing;
        Journal.Succeed($"filed {links.RestartLog}");

        record = record with { Steps = Journal.Steps, Artifacts = [.. record.Artifacts, .. links.AsArtifacts()] };
        Journal.Finish(record.Outcome, record.Resolution, links.RestartLog, links.Record);
        return record;
    }

    private bool RecordAction(ServiceActionResult result, bool mustSucceed)
    {
        IReadOnlyList<string> details = [$"after: {Describe(result.After)}", .. result.ServiceLog];
        if (result.Reached)
        {
            Journal.Succeed(result.Summary, details);
            return true;
        }

        if (mustSucceed)
        {
            _issues.Add(result.Summary + Quote(result.ServiceLog));
        }

        Journal.Fail(result.Summary, details);
        return !mustSucceed;
    }

    private RunRecord Record(RunOutcome outcome, string resolution, IReadOnlyList<string> issues, IReadOnlyList<string> followUps, string? nothingChangedNote = null)
    {
        IReadOnlyList<ServiceChange> changes = [.. _changes.Select(c => c.ToChange(nothingChangedNote))];
        (double? seconds, string method) = RunDowntime.Of(changes, nothingChangedNote);
        return new RunRecord
        {
            InstanceId = _context.InstanceId,
            Procedure = Procedure,
            Target = _request.Target,
            Reason = _request.Reason,
            RequestedBy = _request.RequestedBy,
            Force = _request.Force,
            DryRun = _request.DryRun,
            StartedUtc = _started,
            FinishedUtc = _context.CurrentUtcDateTime,
            Outcome = outcome,
            Resolution = resolution,
            Changes = changes,
            DowntimeSeconds = seconds,
            DowntimeMethod = method,
            Issues = issues,
            Warnings = _warnings,
            FollowUpActions = followUps,
            SuccessCriteria = _verification?.Criteria ?? [],
            Steps = Journal.Steps,
            Trigger = _request.Trigger,
            AttachedAlerts = _attachedAlerts,
            Attachments = [.. _attachments],
            Notifications = [.. _notifications],
            Plan = _plan,
            Approval = _approval,
        };
    }

    /// <summary>The run did not act: it escalated to people instead (restart budget exhausted); nothing was changed.</summary>
    public RunRecord Escalated(string why, IReadOnlyList<string> followUps) => Record(
        RunOutcome.Escalated, "Escalated — nothing was changed: " + why, [why], followUps, nothingChangedNote: "nothing was changed: the run escalated instead");

    /// <summary>A failed service's own last words for an issue line: the last few lines of its log.</summary>
    private static string Quote(IReadOnlyList<string> serviceLog) =>
        serviceLog.Count == 0 ? "" : $" — {serviceLog[0]} {string.Join(" | ", serviceLog.Skip(Math.Max(1, serviceLog.Count - 3)))}";

    /// <summary>
    /// The PID after a step: a later status that names a PID replaces the one known, and one that says the service is
    /// stopped or failed clears it (a unit that started and then died must not keep the PID its start reported); a status
    /// without a PID that says nothing of that kind (an outcome judged from a command's output) keeps what was known.
    /// </summary>
    private static int? PidSeen(ServiceStatus? status, int? known) => status switch
    {
        null => known,
        { MainPid: { } pid } => pid,
        { State: ServiceState.Stopped or ServiceState.Failed } => null,
        _ => known,
    };

    public static string Describe(ServiceStatus? status) => status switch
    {
        null => "unknown",
        { MainPid: { } pid } => $"{status.RawState} pid {pid}",
        _ => $"{status.RawState} (no process)",
    };

    public static string Describe(ReadinessTimeline? timeline) => timeline switch
    {
        null => "no readiness probe",
        { Ready: true, Downtime: { } downtime } => string.Create(CultureInfo.InvariantCulture, $"ready after {timeline.Probes} probe(s) of {timeline.Probe}; unanswered for {downtime.TotalSeconds:0.000} s"),
        _ => $"not ready after {timeline.Probes} probe(s) of {timeline.Probe}: {timeline.LastProbe?.Detail}",
    };
}
