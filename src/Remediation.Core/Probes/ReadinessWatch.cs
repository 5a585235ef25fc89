using Remediation.Inventory;

namespace Remediation.Probes;

/// <summary>
/// Polls a service's readiness probe at a short interval while something happens to it (a restart command), and
/// afterwards until it answers or a deadline passes. Replaces the runbook's fixed "sleep 10" with a measurement.
/// </summary>
public sealed class ReadinessWatch
{
    /// <summary>Short enough to see a one-second outage with 5% resolution, long enough not to load the service.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(50);

    private readonly ReadinessChecker _checker;
    private readonly TimeProvider _time;

    public ReadinessWatch(ReadinessChecker checker, TimeProvider time)
    {
        _checker = checker;
        _time = time;
    }

    /// <summary>
    /// Probes until <paramref name="during"/> has finished and the service answers, or until the deadline.
    /// When <paramref name="during"/> finishes with false (the command failed) the watch ends after one more probe.
    /// </summary>
    public async Task<ReadinessTimeline> WatchAsync(
        ReadinessProbeDefinition probe,
        TargetDefinition target,
        Task<bool>? during,
        TimeSpan deadline,
        CancellationToken cancellationToken)
    {
        DateTime started = _time.GetUtcNow().UtcDateTime;
        DateTime giveUpAt = started + deadline;
        DateTime? firstFailure = null;
        DateTime? recovered = null;
        int probes = 0;
        ProbeResult? last = null;
        while (true)
        {
            bool duringDone = during is null || during.IsCompleted;
            last = await _checker.CheckAsync(probe, target, cancellationToken);
            probes++;
            DateTime now = _time.GetUtcNow().UtcDateTime;
            if (!last.Healthy)
            {
                firstFailure ??= now;
                recovered = null;
            }
            else
            {
                // The outage ends at the first answer after it, not when the command returns (supervisor's
                // "started" comes a full startsecs after the process already answers).
                recovered ??= now;
                if (duringDone)
                {
                    return Timeline(true, recovered);
                }
            }

            if (duringDone && during is not null && !await during)
            {
                return Timeline(false, null);
            }

            if (now >= giveUpAt)
            {
                return Timeline(false, null);
            }

            Task interval = Task.Delay(DefaultInterval, _time, cancellationToken);
            if (during is { IsCompleted: false })
            {
                // Wake when the command returns, not up to one interval later: the step ends with that next probe.
                await Task.WhenAny(interval, during);
                cancellationToken.ThrowIfCancellationRequested();
            }
            else
            {
                await interval;
            }
        }

        ReadinessTimeline Timeline(bool ready, DateTime? readyAt) => new()
        {
            Ready = ready,
            Probe = probe.Http?.ToString() ?? probe.Tcp ?? "SQL SELECT 1",
            WatchStartedUtc = started,
            FirstFailureUtc = firstFailure,
            ReadyUtc = readyAt,
            Probes = probes,
            IntervalMs = (int)DefaultInterval.TotalMilliseconds,
            LastProbe = last,
        };
    }
}
