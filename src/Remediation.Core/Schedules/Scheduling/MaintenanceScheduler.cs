using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Remediation.Procedures.Rollout;

namespace Remediation.Schedules.Scheduling;

/// <summary>
/// The timer's work, the same on both hosts: every occurrence whose notice time has come and which has not closed is
/// claimed in storage and, when this process won the claim, started as a <see cref="RolloutOrchestrator"/> under the
/// occurrence's own instance id. Of several processes ticking at once, one fires each occurrence.
/// </summary>
public sealed partial class MaintenanceScheduler
{
    /// <summary>
    /// Longer than a claim-then-schedule can take even with storage retrying (its client gives up within about two
    /// minutes), so a live claimant is never overtaken; short beside a maintenance window.
    /// </summary>
    private static readonly TimeSpan OrphanedAfter = TimeSpan.FromMinutes(5);

    private readonly MaintenanceCalendar _calendar;
    private readonly IOccurrenceClaims _claims;
    private readonly DurableTaskClient _client;
    private readonly TimeProvider _time;
    private readonly ILogger<MaintenanceScheduler> _logger;
    private readonly string _claimant = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    public MaintenanceScheduler(MaintenanceCalendar calendar, IOccurrenceClaims claims, DurableTaskClient client, TimeProvider time, ILogger<MaintenanceScheduler> logger)
    {
        _calendar = calendar;
        _claims = claims;
        _client = client;
        _time = time;
        _logger = logger;
    }

    /// <summary>Fires what is due now; returns the instance ids this call started.</summary>
    public async Task<IReadOnlyList<string>> TickAsync(CancellationToken cancellationToken)
    {
        DateTime now = _time.GetUtcNow().UtcDateTime;
        var fired = new List<string>();
        foreach (WindowOccurrence occurrence in _calendar.DueOccurrences(now))
        {
            if (!await _claims.TryClaimAsync(occurrence, _claimant, cancellationToken))
            {
                // Claimed: fired, or its claimant died before it could schedule — which would lose the window. A claim
                // older than any scheduling takes, with no run of the occurrence, is taken over.
                if (await _client.GetInstanceAsync(occurrence.InstanceId, getInputsAndOutputs: false, cancellationToken) is not null
                    || !await _claims.TryTakeOverAsync(occurrence, _claimant, OrphanedAfter, cancellationToken))
                {
                    continue;
                }

                LogTookOver(_logger, occurrence.InstanceId, OrphanedAfter.TotalSeconds);
            }

            MaintenanceWindowDefinition window = _calendar.FindWindow(occurrence.Window)!.Definition;
            var request = new RolloutRequest
            {
                Name = window.Name,
                Procedure = window.Procedure,
                Service = window.Service,
                Mode = window.Mode,
                Force = window.Force,
                Reason = $"maintenance window '{window.Name}' ({window.Cron} {window.TimeZone})",
                RequestedBy = $"schedule:{window.Name}",
                Targets = [.. window.Targets],
                MaxConcurrency = window.MaxConcurrency,
                MaxFailures = window.MaxFailures,
                MaxFailurePercent = window.MaxFailurePercent,
                Occurrence = occurrence,
                NoticeLeadSeconds = window.NoticeLead.TotalSeconds,
                PollSeconds = _calendar.Options.RunPollInterval.TotalSeconds,
            };
            try
            {
                await _client.ScheduleNewOrchestrationInstanceAsync(nameof(RolloutOrchestrator), request, new StartOrchestrationOptions(occurrence.InstanceId), cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Give the claim back so the next tick (here or elsewhere) fires it; the occurrence stays due until it closes.
                LogScheduleFailed(_logger, occurrence.InstanceId, e.Message);
                await _claims.ReleaseAsync(occurrence, CancellationToken.None);
                throw;
            }

            LogFired(_logger, occurrence.InstanceId, occurrence.StartUtc, occurrence.EndUtc);
            fired.Add(occurrence.InstanceId);
        }

        return fired;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Maintenance window occurrence {InstanceId} was claimed more than {Seconds} s ago but never scheduled (its claimant died): taken over")]
    private static partial void LogTookOver(ILogger logger, string instanceId, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Maintenance window occurrence {InstanceId} fired (opens {StartUtc:u}, closes {EndUtc:u})")]
    private static partial void LogFired(ILogger logger, string instanceId, DateTime startUtc, DateTime endUtc);

    [LoggerMessage(Level = LogLevel.Error, Message = "Maintenance window occurrence {InstanceId} could not be scheduled ({Why}); its claim was given back")]
    private static partial void LogScheduleFailed(ILogger logger, string instanceId, string why);
}
