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
    /// When <paramref name="during"/> finishes with false (the command failed) the watch ends after one more probe;
    /// when <paramref name="giveUp"/> fires (the service manager reports a terminal failure) it ends at once, not ready.
    /// </summary>
    public async Task<ReadinessTimeline> WatchAsync(
        ReadinessProbeDefinition probe,
        TargetDefinition target,
        Task<bool>? during,
        TimeSpan deadline,
        CancellationToken cancellationToken,
        CancellationToken giveUp = default)
    {
        ArgumentNullException.ThrowIfNull(probe);
        var seen = new Seen(probe, _time.GetUtcNow().UtcDateTime);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, giveUp);
        try
        {
            return await WatchUntilAsync(seen, target, during, deadline, linked.Token);
        }
        catch (OperationCanceledException) when (giveUp.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return seen.Timeline(false, null);
        }
    }

    private async Task<ReadinessTimeline> WatchUntilAsync(Seen seen, TargetDefinition target, Task<bool>? during, TimeSpan deadline, CancellationToken cancellationToken)
    {
        DateTime giveUpAt = seen.Started + deadline;
        DateTime? recovered = null;
        while (true)
        {
            bool duringDone = during is null || during.IsCompleted;
            ProbeResult last = await _checker.CheckAsync(seen.Probe, target, cancellationToken);
            seen.Last = last;
            seen.Probes++;
            DateTime now = _time.GetUtcNow().UtcDateTime;
            if (!last.Healthy)
            {
                seen.FirstFailure ??= now;
                recovered = null;
            }
            else
            {
                // The outage ends at the first answer after it, not when the command returns (supervisor's
                // "started" comes a full startsecs after the process already answers).
                recovered ??= now;
                if (duringDone)
                {
                    return seen.Timeline(true, recovered);
                }
            }

            if (duringDone && during is not null && !await during)
            {
                return seen.Timeline(false, null);
            }

            if (now >= giveUpAt)
            {
                return seen.Timeline(false, null);
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
    }

    /// <summary>What one watch has seen so far; a watch given up part-way still reports it.</summary>
    private sealed class Seen(ReadinessProbeDefinition probe, DateTime started)
    {
        public ReadinessProbeDefinition Probe { get; } = probe;
        public DateTime Started { get; } = started;
        public DateTime? FirstFailure { get; set; }
        public int Probes { get; set; }
        public ProbeResult? Last { get; set; }

        public ReadinessTimeline Timeline(bool ready, DateTime? readyAt) => new()
        {
            Ready = ready,
            Probe = Probe.Http?.ToString() ?? Probe.Tcp ?? "SQL SELECT 1",
            WatchStartedUtc = Started,
            FirstFailureUtc = FirstFailure,
            ReadyUtc = readyAt,
            Probes = Probes,
            IntervalMs = (int)DefaultInterval.TotalMilliseconds,
            LastProbe = Last,
        };
    }
}
