using System.Globalization;
using Microsoft.DurableTask;
using Remediation.Activities.Database;
using Remediation.Activities.Logs;
using Remediation.Activities.Services;
using Remediation.Artifacts;
using Remediation.Probes;

namespace Remediation.Procedures.RestartService;

/// <summary>
/// What a restart-service run has learned so far, turned into the run record at the end. Lives inside the
/// orchestrator: it takes time only from the context and is rebuilt identically on replay.
/// </summary>
public sealed class RestartRun
{
    private const string MonitorFirstHour = "Monitor logs, error rates and resource use for the first hour (runbook: Monitoring After Restart)";
    private readonly TaskOrchestrationContext _context;
    private readonly RestartServiceRequest _request;
    private readonly DateTime _started;
    private readonly List<string> _issues = [];
    private DateTime? _firstFailureUtc;
    private DateTime? _readyUtc;
    private string? _downtimeNotMeasured;
    private string _probe = "";
    private bool _ready;
    private VerificationReport? _verification;

    public RestartRun(TaskOrchestrationContext context, RestartServiceRequest request)
    {
        _context = context;
        _request = request;
        _started = context.CurrentUtcDateTime;
        Journal = new RunJournal(context, ProcedureNames.RestartService, request.Target, [request.Service]);
    }

    public RunJournal Journal { get; }

    public int? PidBefore { get; private set; }

    public int? PidAfter { get; private set; }

    public bool ForcePathTaken { get; private set; }

    public IReadOnlyList<LogPosition> LogPositions { get; private set; } = [];

    public void RecordPreChecks(StackInspection inspection, WorkloadReport workload)
    {
        PidBefore = inspection.Find(_request.Service)?.Status.MainPid;
        LogPositions = inspection.LogPositions;
        if (workload.Unchecked is { } why)
        {
            _issues.Add($"Active users and due cron jobs were not checked ({why}); restarted because force was given");
        }

        Journal.Succeed(
            $"{string.Join(", ", inspection.Statuses)}; {workload.Summary}",
            [.. inspection.Statuses.Select(s => $"status: {s} ({s.Status.Detail})"), $"workload: {workload.Summary}", .. workload.Evidence]);
    }

    public void RecordGraceful(RestartAttempt attempt)
    {
        PidAfter = attempt.After?.MainPid;
        if (!attempt.Changed)
        {
            _downtimeNotMeasured = "the restart ran in an earlier attempt that was interrupted before it could report";
        }

        Watched(attempt.Readiness);
        _ready = attempt.Ready;
        string summary = string.IsNullOrEmpty(attempt.Summary) ? attempt.Action : attempt.Summary;
        IReadOnlyList<string> details = [$"action: {attempt.Action}", $"before: {Describe(attempt.Before)}", $"after: {Describe(attempt.After)}", $"readiness: {Describe(attempt.Readiness)}"];
        if (attempt.Ready)
        {
            Journal.Succeed(summary, details);
        }
        else
        {
            ForcePathTaken = true;
            string why = attempt.CommandTimedOut ? $"did not finish within the graceful timeout ({summary})"
                : !attempt.CommandSucceeded ? summary
                : $"service not ready afterwards ({Describe(attempt.Readiness)}; state {attempt.After?.RawState})";
            _issues.Add($"Graceful restart failed: {why}; force restart taken");
            Journal.Fail(summary, details);
        }
    }

    public void RecordStop(ServiceActionResult stop)
    {
        WentDown(stop.DownSinceUtc);
        RecordAction(stop, mustSucceed: false);
    }

    public void RecordLeftovers(LeftoverProcessesReport leftovers)
    {
        WentDown(leftovers.KilledAtUtc);
        if (leftovers.Remaining.Count > 0)
        {
            _issues.Add(leftovers.Summary);
            Journal.Fail(leftovers.Summary, leftovers.Found);
            return;
        }

        if (leftovers.KillSent)
        {
            _issues.Add($"Hanging processes were killed: {leftovers.Summary}");
        }

        Journal.Succeed(leftovers.Summary, leftovers.Found);
    }

    public void RecordStart(ServiceActionResult start) => RecordAction(start, mustSucceed: true);

    public void RecordForcedReadiness(ReadinessOutcome outcome)
    {
        Watched(outcome.Timeline);
        PidAfter = outcome.Status.MainPid;
        _ready = outcome.Ready;
        string summary = $"{Describe(outcome.Status)}; {Describe(outcome.Timeline)}";
        if (outcome.Ready)
        {
            Journal.Succeed(summary);
        }
        else
        {
            _issues.Add($"Not ready after the force restart: {summary}");
            Journal.Fail(summary);
        }
    }

    public void RecordVerification(VerificationReport report)
    {
        _verification = report;
        PidAfter = report.Statuses.FirstOrDefault(s => s.Service == _request.Service)?.Status.MainPid ?? PidAfter;
        foreach (SuccessCriterion failed in report.Criteria.Where(c => c.Status == CriterionStatus.Failed))
        {
            _issues.Add($"{failed.Name}: {failed.Detail}");
        }

        int passed = report.Criteria.Count(c => c.Passed);
        string summary = $"{passed}/{report.Criteria.Count} success criteria passed, {report.Criteria.Count(c => c.Status == CriterionStatus.Failed)} failed, {report.Criteria.Count(c => c.Status == CriterionStatus.NotEvaluated)} not evaluated";
        IReadOnlyList<string> details = [.. report.Criteria.Select(c => $"{c.Status}: {c.Name} — {c.Detail}")];
        if (report.CriticalPassed)
        {
            Journal.Succeed(summary, details);
        }
        else
        {
            Journal.Fail(summary, details);
        }
    }

    public RunRecord Deferred(IReadOnlyList<string> blockers) => Record(
        RunOutcome.Deferred,
        "Deferred — nothing was restarted: " + string.Join("; ", blockers),
        [.. blockers.Select(b => "Restart deferred: " + b)],
        ["Retry after the users have been notified and the cron jobs have finished, or repeat with force=true"],
        downtimeNote: "nothing was restarted");

    public RunRecord DryRun(string plan) => Record(
        RunOutcome.DryRun,
        $"Dry run — only read-only checks ran; nothing was changed ({plan})",
        [],
        [$"Run again without dryRun to restart {_request.Service}"],
        downtimeNote: "dry run: nothing was restarted");

    public RunRecord Aborted(string why) => Record(
        RunOutcome.Failed,
        "Failed — " + why,
        [.. _issues, why],
        ["Escalate to the on-call operator: the remediation stopped before the service was verified healthy", "Check the steps below before retrying"],
        downtimeNote: _downtimeNotMeasured ?? "the run stopped before the service recovered");

    /// <summary>The outcome once verification has run.</summary>
    public RunRecord Concluded()
    {
        bool healthy = _ready && (_verification?.CriticalPassed ?? false);
        if (!healthy)
        {
            return Record(
                RunOutcome.Failed,
                ForcePathTaken ? "Failed — not healthy after the force restart; escalated" : "Failed — not healthy after the restart; escalated",
                _issues,
                ["Escalate to the on-call operator now", "Consider the rollback procedure (restore configuration snapshots) and the common-issues diagnosis"]);
        }

        string resolution = ForcePathTaken ? "Successful — force restart after the graceful restart failed" : "Successful";
        return _issues.Count == 0
            ? Record(RunOutcome.Succeeded, resolution, [], ["None required"])
            : Record(RunOutcome.SucceededWithIssues, resolution + " (with issues)", _issues, ["Investigate the issues listed above", MonitorFirstHour]);
    }

    private void RecordAction(ServiceActionResult result, bool mustSucceed)
    {
        IReadOnlyList<string> details = [$"after: {Describe(result.After)}"];
        if (result.Reached)
        {
            Journal.Succeed(result.Summary, details);
            return;
        }

        if (mustSucceed)
        {
            _issues.Add(result.Summary);
        }

        Journal.Fail(result.Summary, details);
    }

    /// <summary>Between activities nobody probes: a stop or a kill marks the latest moment the outage began.</summary>
    private void WentDown(DateTime? at)
    {
        if (at is { } down && (_firstFailureUtc is null || down < _firstFailureUtc))
        {
            _firstFailureUtc = down;
        }
    }

    private void Watched(ReadinessTimeline? timeline)
    {
        if (timeline is null)
        {
            _downtimeNotMeasured ??= "the service has no readiness probe to poll";
            return;
        }

        _probe = timeline.Probe;
        WentDown(timeline.FirstFailureUtc);
        _readyUtc = timeline.ReadyUtc;
    }

    private RunRecord Record(RunOutcome outcome, string resolution, IReadOnlyList<string> issues, IReadOnlyList<string> followUps, string? downtimeNote = null)
    {
        (double? seconds, string method) = Downtime(downtimeNote);
        return new RunRecord
        {
            InstanceId = _context.InstanceId,
            Procedure = ProcedureNames.RestartService,
            Target = _request.Target,
            Services = [_request.Service],
            Reason = _request.Reason,
            RequestedBy = _request.RequestedBy,
            Force = _request.Force,
            DryRun = _request.DryRun,
            StartedUtc = _started,
            FinishedUtc = _context.CurrentUtcDateTime,
            Outcome = outcome,
            Resolution = resolution,
            DowntimeSeconds = seconds,
            DowntimeMethod = method,
            ForcePathTaken = ForcePathTaken,
            PidBefore = PidBefore,
            PidAfter = PidAfter,
            Issues = issues,
            FollowUpActions = followUps,
            SuccessCriteria = _verification?.Criteria ?? [],
            Steps = Journal.Steps,
        };
    }

    private (double? Seconds, string Method) Downtime(string? note)
    {
        string how = $"{_probe} polled every {ReadinessWatch.DefaultInterval.TotalMilliseconds:0} ms during the restart";
        if (note is not null || _downtimeNotMeasured is not null)
        {
            return (null, note ?? _downtimeNotMeasured!);
        }

        if (_firstFailureUtc is null)
        {
            return _readyUtc is null ? (null, "the service never answered its readiness probe") : (0, how + "; no probe failed");
        }

        return _readyUtc is { } up
            ? (Math.Round((up - _firstFailureUtc.Value).TotalSeconds, 3), how)
            : (null, $"the service stopped answering at {_firstFailureUtc:HH:mm:ss.fff} UTC and did not recover");
    }

    private static string Describe(ServiceManagers.ServiceStatus? status) => status switch
    {
        null => "unknown",
        { MainPid: { } pid } => $"{status.RawState} pid {pid}",
        _ => $"{status.RawState} (no process)",
    };

    private static string Describe(ReadinessTimeline? timeline) => timeline switch
    {
        null => "no readiness probe",
        { Ready: true, Downtime: { } downtime } => string.Create(CultureInfo.InvariantCulture, $"ready after {timeline.Probes} probe(s) of {timeline.Probe}; unanswered for {downtime.TotalSeconds:0.000} s"),
        _ => $"not ready after {timeline.Probes} probe(s) of {timeline.Probe}: {timeline.LastProbe?.Detail}",
    };
}
