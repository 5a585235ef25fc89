using Remediation.Activities.Services;
using Remediation.Inventory;
using Remediation.Probes;

namespace Remediation.Runs;

/// <summary>
/// What a run has seen of one service so far — actions, PIDs, when it stopped answering and when it answered again —
/// turned into a <see cref="ServiceChange"/> at the end. Lives inside the orchestrator and is rebuilt on replay.
/// </summary>
public sealed class ServiceChangeTracker
{
    private bool _stopped;
    private bool _started;
    private bool _restarted;
    private bool _reloaded;
    private DateTime? _firstFailureUtc;
    private DateTime? _readyUtc;
    private string? _notMeasured;
    private EarlierOutage? _earlier;
    private string _probe = "";
    private string? _stopEvidence;

    public ServiceChangeTracker(string service, ServiceKind kind)
    {
        Service = service;
        Kind = kind;
    }

    public string Service { get; }
    public ServiceKind Kind { get; }
    public int? PidBefore { get; set; }
    public int? PidAfter { get; set; }
    public bool ForcePathTaken { get; set; }

    public ServiceAction Action => (_restarted || (_stopped && _started)) ? ServiceAction.Restart
        : _reloaded ? ServiceAction.Reload
        : _stopped ? ServiceAction.Stop
        : _started ? ServiceAction.Start
        : ServiceAction.None;

    public void Restarted() => _restarted = true;

    public void Reloaded() => _reloaded = true;

    /// <summary>Between activities nobody probes: a stop or a kill marks the latest moment the outage began.</summary>
    public void Stopped(DateTime? downSince)
    {
        _stopped = true;
        WentDown(downSince);
    }

    /// <summary>
    /// A stop an interrupted delivery of the stop step made: when it began comes from the target's evidence, which the
    /// downtime's method then names.
    /// </summary>
    public void StoppedEarlier(DateTime downSince, string evidence)
    {
        Stopped(downSince);
        _stopEvidence ??= evidence;
    }

    public void Started() => _started = true;

    public void WentDown(DateTime? at)
    {
        if (at is { } down && (_firstFailureUtc is null || down < _firstFailureUtc))
        {
            _firstFailureUtc = down;
        }
    }

    /// <summary>A change was made by an earlier, interrupted delivery of a step: its outage was not watched.</summary>
    public void NotMeasured(string why) => _notMeasured ??= why;

    /// <summary>
    /// An outage an interrupted delivery began, measured afterwards from the target's evidence: it stands in for the
    /// watch that delivery could not report. A later watch (the force path) can only extend it.
    /// </summary>
    public void MeasuredFromTarget(EarlierOutage outage) => _earlier ??= outage;

    /// <summary>Takes in what a readiness watch saw; a service without a probe cannot have its downtime measured.</summary>
    public void Watched(ReadinessTimeline? timeline)
    {
        if (timeline is null)
        {
            _notMeasured ??= "the service has no readiness probe to poll";
            return;
        }

        _probe = timeline.Probe;
        WentDown(timeline.FirstFailureUtc);
        _readyUtc = timeline.ReadyUtc;
    }

    public ServiceChange ToChange(string? nothingChangedNote = null)
    {
        if (_earlier is { } earlier && _notMeasured is null)
        {
            return FromEarlierOutage(earlier);
        }

        (double? seconds, string method) = Downtime(nothingChangedNote);
        return new ServiceChange
        {
            Service = Service,
            Kind = Kind,
            Action = Action,
            PidBefore = PidBefore,
            PidAfter = PidAfter,
            DowntimeSeconds = seconds,
            DowntimeMethod = method,
            DownFromUtc = seconds is > 0 ? _firstFailureUtc : null,
            DownUntilUtc = seconds is > 0 ? _readyUtc : null,
            ForcePathTaken = ForcePathTaken,
        };
    }

    private ServiceChange FromEarlierOutage(EarlierOutage earlier)
    {
        DateTime from = _firstFailureUtc is { } down && down < earlier.DownFromUtc ? down : earlier.DownFromUtc;
        bool extended = _readyUtc is { } ready && ready > earlier.DownUntilUtc;
        DateTime until = extended ? _readyUtc!.Value : earlier.DownUntilUtc;
        string method = extended
            ? $"{earlier.Method}; then down again until {_probe} answered at {until:HH:mm:ss.fff} UTC (polled every {ReadinessWatch.DefaultInterval.TotalMilliseconds:0} ms)"
            : earlier.Method;
        return new ServiceChange
        {
            Service = Service,
            Kind = Kind,
            Action = Action,
            PidBefore = PidBefore,
            PidAfter = PidAfter,
            DowntimeSeconds = Math.Round((until - from).TotalSeconds, 3),
            DowntimeMethod = method,
            DownFromUtc = from,
            DownUntilUtc = until,
            ForcePathTaken = ForcePathTaken,
        };
    }

    private (double? Seconds, string Method) Downtime(string? nothingChangedNote)
    {
        if (Action == ServiceAction.None && _firstFailureUtc is null)
        {
            return (null, nothingChangedNote ?? "not changed by this run");
        }

        if (_notMeasured is not null)
        {
            return (null, _notMeasured);
        }

        string how = $"{_probe} polled every {ReadinessWatch.DefaultInterval.TotalMilliseconds:0} ms";
        if (_stopEvidence is not null)
        {
            how = $"from the stop an interrupted delivery made ({_stopEvidence}) until {how} answered";
        }

        if (_firstFailureUtc is null)
        {
            return _readyUtc is null ? (null, "the service never answered its readiness probe") : (0, how + "; no probe failed");
        }

        return _readyUtc is { } up && up >= _firstFailureUtc
            ? (Math.Round((up - _firstFailureUtc.Value).TotalSeconds, 3), how)
            : (null, $"the service stopped answering at {_firstFailureUtc:HH:mm:ss.fff} UTC and did not recover");
    }
}
