using Microsoft.Extensions.Logging;

namespace Remediation.Schedules.Deferrals;

/// <summary>
/// The one call alert routing makes before it starts an automatic run: outside a freeze, <see cref="DecisionKind.Allow"/>
/// (start it through the intake); in a freeze, the run is recorded as deferred to the target's next maintenance window
/// (that occurrence's rollout starts it), or, when critical, <see cref="DecisionKind.Escalate"/> (notify a person).
/// </summary>
public sealed partial class AutomaticRunGate
{
    private readonly MaintenanceCalendar _calendar;
    private readonly IDeferredRuns _deferred;
    private readonly TimeProvider _time;
    private readonly ILogger<AutomaticRunGate> _logger;

    public AutomaticRunGate(MaintenanceCalendar calendar, IDeferredRuns deferred, TimeProvider time, ILogger<AutomaticRunGate> logger)
    {
        _calendar = calendar;
        _deferred = deferred;
        _time = time;
        _logger = logger;
    }

    /// <summary>Decides, and for a deferral records the run durably before answering.</summary>
    public async Task<AutomaticRunDecision> AdmitAsync(AutomaticRunRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        DateTime now = _time.GetUtcNow().UtcDateTime;
        AutomaticRunDecision decision = _calendar.Decide(request.Target, _calendar.SeverityOf(request.Severity), now);
        if (decision is { Kind: DecisionKind.Defer, Window: { } window })
        {
            bool added = await _deferred.AddAsync(
                new DeferredRun
                {
                    Request = request,
                    Window = window.Window,
                    WindowStartUtc = window.StartUtc,
                    Freeze = decision.Freeze!,
                    Decision = decision.Reason,
                    DeferredAtUtc = now,
                },
                cancellationToken);
            LogDeferred(_logger, request.Procedure, request.Target, window.InstanceId, added);
        }
        else if (decision.Kind == DecisionKind.Escalate)
        {
            LogEscalated(_logger, request.Procedure, request.Target, decision.Reason);
        }

        return decision;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Automatic {Procedure} on {Target} deferred to {Occurrence} (new deferral: {Added})")]
    private static partial void LogDeferred(ILogger logger, string procedure, string target, string occurrence, bool added);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Automatic {Procedure} on {Target} escalated: {Reason}")]
    private static partial void LogEscalated(ILogger logger, string procedure, string target, string reason);
}
