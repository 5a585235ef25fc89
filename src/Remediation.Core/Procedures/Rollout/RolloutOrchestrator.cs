using System.Globalization;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Remediation.Activities.Rollouts;
using Remediation.Artifacts;
using Remediation.Runs;
using Remediation.Schedules.Deferrals;
using Remediation.Schedules.Notices;

namespace Remediation.Procedures.Rollout;

/// <summary>
/// A procedure over several targets — a maintenance window occurrence or a portal rollout: the notice first (when one is
/// configured) and its lead time, then one <see cref="PlannedRunOrchestrator"/> per target as a sub-orchestration, at most
/// <c>maxConcurrency</c> at once. Once more targets have failed than the threshold allows, nothing new starts; the runs in
/// flight finish, and the rollout stops with the failures named. Its record and summary go to Blob <c>rollouts/</c>.
/// </summary>
public sealed partial class RolloutOrchestrator : TaskOrchestrator<RolloutRequest, RolloutRecord>
{
    private static readonly TaskOptions NoticeRetry = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 3,
        firstRetryInterval: TimeSpan.FromSeconds(2),
        backoffCoefficient: 2));

    private static readonly TaskOptions StorageRetry = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 5,
        firstRetryInterval: TimeSpan.FromSeconds(1),
        backoffCoefficient: 2));

    public override async Task<RolloutRecord> RunAsync(TaskOrchestrationContext context, RolloutRequest input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        ILogger logger = context.CreateReplaySafeLogger<RolloutOrchestrator>();
        DateTime started = context.CurrentUtcDateTime;
        var results = new Dictionary<string, PlannedRunResult>(StringComparer.Ordinal);

        // Notify users first, then give them the lead time: the runs start at the window's opening or a full lead after
        // the notice, whichever is later (a notice that went out late still gives users their warning).
        StepRecord? notice = null;
        DateTime? noticeSent = null;
        DateTime runAt = input.Occurrence?.StartUtc ?? started;
        if (input.NoticeLeadSeconds > 0)
        {
            var message = new MaintenanceNotice(context.InstanceId, input.Name, input.Targets, input.Procedure, input.Service,
                runAt > started ? runAt : started.AddSeconds(input.NoticeLeadSeconds), input.Occurrence?.EndUtc, input.Reason);
            try
            {
                noticeSent = await context.CallActivityAsync<DateTime>(nameof(SendMaintenanceNoticeActivity), message, NoticeRetry);
                notice = new StepRecord { Name = "Notify users of impending restart", Status = StepStatus.Succeeded, StartedUtc = started, FinishedUtc = context.CurrentUtcDateTime, Summary = message.Text };
                DateTime afterLead = noticeSent.Value.AddSeconds(input.NoticeLeadSeconds);
                runAt = afterLead > runAt ? afterLead : runAt;
            }
            catch (TaskFailedException e)
            {
                string why = $"the planned-maintenance notice could not be delivered ({e.FailureDetails.ErrorMessage}); users were not warned, so no run was started";
                notice = new StepRecord { Name = "Notify users of impending restart", Status = StepStatus.Failed, StartedUtc = started, FinishedUtc = context.CurrentUtcDateTime, Summary = why };
                LogNoticeFailed(logger, context.InstanceId, e.FailureDetails.ErrorMessage);
                foreach (string target in input.Targets)
                {
                    results[target] = PlannedRunResult.NotStarted(target, why);
                }

                return await FileAsync(context, input, started, notice, results, RolloutOutcome.NotStarted, why);
            }
        }

        if (runAt > context.CurrentUtcDateTime)
        {
            context.SetCustomStatus(new { phase = "waiting", startsAtUtc = runAt });
            await context.CreateTimer(runAt, CancellationToken.None);
        }

        IReadOnlyList<DeferredRun> deferred = input.Occurrence is { } occurrence
            ? await context.CallActivityAsync<IReadOnlyList<DeferredRun>>(nameof(CollectDeferredRunsActivity), new DeferredRunsQuery(occurrence, input.Targets), StorageRetry)
            : [];

        // Bounded fan-out with an error threshold.
        int threshold = input.FailureThreshold;
        int concurrency = Math.Max(1, input.MaxConcurrency);
        var pending = new Queue<string>(input.Targets);
        var running = new Dictionary<Task<PlannedRunResult>, string>();
        int failures = 0;
        bool stopped = false;
        while (pending.Count > 0 || running.Count > 0)
        {
            while (!stopped && running.Count < concurrency && pending.Count > 0)
            {
                string target = pending.Dequeue();
                var plannedRun = new PlannedRunRequest
                {
                    RolloutId = context.InstanceId,
                    Target = target,
                    Procedure = input.Procedure,
                    Service = input.Service,
                    Mode = input.Mode,
                    Force = input.Force,
                    Reason = input.Reason,
                    RequestedBy = input.RequestedBy,
                    Trigger = input.Occurrence is { } window ? new RunTrigger { Kind = RunTrigger.Schedule, Source = window.Window } : new RunTrigger(),
                    WindowEndUtc = input.Occurrence?.EndUtc,
                    NoticeSentUtc = noticeSent,
                    PollSeconds = input.PollSeconds,
                    Deferred = [.. deferred.Where(d => d.Target == target)],
                };
                running[context.CallSubOrchestratorAsync<PlannedRunResult>(nameof(PlannedRunOrchestrator), plannedRun, new SubOrchestrationOptions { InstanceId = $"{context.InstanceId}.{target}" })] = target;
            }

            if (running.Count == 0)
            {
                break;
            }

            context.SetCustomStatus(new { phase = "running", running = running.Values.ToArray(), done = results.Keys.ToArray(), failures, stopped });
            Task<PlannedRunResult> done = await Task.WhenAny(running.Keys);
            string finished = running[done];
            running.Remove(done);
            PlannedRunResult result;
            try
            {
                result = await done;
            }
            catch (TaskFailedException e)
            {
                result = new PlannedRunResult { Target = finished, Outcome = PlannedRunOutcome.Failed, Reason = $"the planned run failed: {e.FailureDetails.ErrorMessage}" };
            }

            results[finished] = result;
            if (result.Outcome != PlannedRunOutcome.Succeeded && ++failures > threshold && !stopped)
            {
                stopped = true;
                LogThresholdReached(logger, context.InstanceId, failures, threshold);
            }
        }

        string thresholdText = string.Create(CultureInfo.InvariantCulture, $"{failures} target(s) failed, more than the {threshold} tolerated");
        foreach (string target in pending)
        {
            results[target] = PlannedRunResult.NotStarted(target, $"not started: the rollout stopped after {thresholdText}");
        }

        (RolloutOutcome outcome, string summary) = stopped && pending.Count > 0
            ? (RolloutOutcome.Stopped, $"stopped: {thresholdText}; {pending.Count} target(s) not started")
            : failures > 0
                ? (RolloutOutcome.CompletedWithFailures, string.Create(CultureInfo.InvariantCulture, $"every target tried; {failures} failed (tolerated: {threshold})"))
                : (RolloutOutcome.Completed, string.Create(CultureInfo.InvariantCulture, $"{input.Targets.Count} target(s) succeeded"));
        return await FileAsync(context, input, started, notice, results, outcome, summary);
    }

    private static async Task<RolloutRecord> FileAsync(
        TaskOrchestrationContext context, RolloutRequest input, DateTime started, StepRecord? notice, Dictionary<string, PlannedRunResult> results, RolloutOutcome outcome, string summary)
    {
        PlannedRunResult[] ordered = [.. input.Targets.Select(t => results[t])];
        var record = new RolloutRecord
        {
            InstanceId = context.InstanceId,
            Name = input.Name,
            Procedure = input.Procedure,
            Service = input.Service,
            Mode = input.Mode,
            Reason = input.Reason,
            RequestedBy = input.RequestedBy,
            Targets = input.Targets,
            MaxConcurrency = input.MaxConcurrency,
            FailureThreshold = input.FailureThreshold,
            WindowStartUtc = input.Occurrence?.StartUtc,
            WindowEndUtc = input.Occurrence?.EndUtc,
            StartedUtc = started,
            FinishedUtc = context.CurrentUtcDateTime,
            Outcome = outcome,
            Summary = summary,
            Notice = notice,
            Failures = [.. ordered.Where(r => r.Outcome != PlannedRunOutcome.Succeeded).Select(r => $"{r.Target}: {r.Outcome} — {r.Reason}")],
            Results = ordered,
            PeakConcurrency = PeakConcurrency(ordered),
        };
        ArtifactLinks links = await context.CallActivityAsync<ArtifactLinks>(nameof(WriteRolloutRecordActivity), record, StorageRetry);
        context.SetCustomStatus(new { phase = "finished", outcome = outcome.ToString(), summary = links.RestartLog, record = links.Record });
        return record;
    }

    /// <summary>The most targets whose planned runs overlapped in time (orchestration clock).</summary>
    private static int PeakConcurrency(IEnumerable<PlannedRunResult> results)
    {
        var edges = results.Where(r => r.StartedUtc is not null && r.FinishedUtc is not null)
            .SelectMany(r => new[] { (At: r.StartedUtc!.Value, Delta: 1), (At: r.FinishedUtc!.Value, Delta: -1) })
            .OrderBy(e => e.At).ThenBy(e => e.Delta);
        int current = 0, peak = 0;
        foreach ((DateTime _, int delta) in edges)
        {
            current += delta;
            peak = Math.Max(peak, current);
        }

        return peak;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rollout {InstanceId}: {Failures} failed target(s), more than the {Threshold} tolerated; nothing new starts")]
    private static partial void LogThresholdReached(ILogger logger, string instanceId, int failures, int threshold);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rollout {InstanceId}: the maintenance notice could not be delivered ({Why}); nothing is started")]
    private static partial void LogNoticeFailed(ILogger logger, string instanceId, string why);
}
