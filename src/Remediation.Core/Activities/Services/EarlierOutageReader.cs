using System.Globalization;
using Remediation.Activities.Logs;
using Remediation.Inventory;
using Remediation.Probes;
using Remediation.ServiceManagers;
using Remediation.Ssh;

namespace Remediation.Activities.Services;

/// <summary>
/// Measures an outage nobody watched — a restart begun by a delivery that was interrupted (a server crash) — from what
/// the target recorded: when the manager stopped the old process (supervisord's log, systemd's timestamps), when the
/// new one said it listens (its own log since the pre-checks), or else the re-delivered step's first successful probe.
/// Reading the evidence never fails the step: what cannot be read is the reason the downtime stays unmeasured.
/// </summary>
public sealed class EarlierOutageReader
{
    private readonly ServiceStatusReader _status;
    private readonly LogScanner _logs;
    private readonly TimeProvider _time;

    public EarlierOutageReader(ServiceStatusReader status, LogScanner logs, TimeProvider time)
    {
        _status = status;
        _logs = logs;
        _time = time;
    }

    /// <summary>The outage of <paramref name="previousPid"/>'s stop up to the new process answering, or why it cannot be told.</summary>
    public async Task<(EarlierOutage? Outage, string? WhyNot)> ReadAsync(
        ISshSession ssh, TargetDefinition target, ServiceDefinition service, int previousPid,
        IReadOnlyList<LogPosition> logPositions, ReadinessTimeline? watch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ssh);
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(logPositions);
        try
        {
            (ServiceHistory? stops, TimeSpan ahead, string? whyNot) = await ReadHistoryAsync(ssh, target, service, previousPid, cancellationToken);
            if (stops is null)
            {
                return (null, whyNot);
            }

            List<string> ready = [];
            foreach (LogPosition position in logPositions.Where(p => service.LogFiles.Contains(p.Path)))
            {
                ready.AddRange((await _logs.ScanSinceAsync(ssh, position.Path, position.Offset, cancellationToken)).ReadyNotices);
            }

            return Measure(service.UnitName, previousPid, stops, ready, watch, ahead);
        }
        catch (Exception e) when (e is ServiceManagerException or IOException)
        {
            return (null, "the target's evidence could not be read: " + e.Message);
        }
    }

    /// <summary>
    /// When the manager began stopping <paramref name="previousPid"/> — a stop step's earlier delivery, interrupted after
    /// it acted — in the server's clock, with the evidence; or why it cannot be told.
    /// </summary>
    public async Task<(DateTime? StopBeganUtc, string Evidence)> StopOfAsync(
        ISshSession ssh, TargetDefinition target, ServiceDefinition service, int previousPid, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(service);
        try
        {
            (ServiceHistory? stops, TimeSpan ahead, string? whyNot) = await ReadHistoryAsync(ssh, target, service, previousPid, cancellationToken);
            if (stops is null)
            {
                return (null, whyNot!);
            }

            if ((stops.StopBeganUtc ?? stops.StoppedUtc) is not { } down)
            {
                return (null, $"{stops.Source} records no stop of {service.UnitName} after pid {previousPid}");
            }

            string clock = string.Create(CultureInfo.InvariantCulture, $"{stops.Resolution} timestamps; the target's clock {Math.Abs(ahead.TotalSeconds):0.000} s {(ahead >= TimeSpan.Zero ? "ahead of" : "behind")} the server's, corrected");
            return (down - ahead, $"from target evidence: {stops.Source}: {string.Join(", ", stops.Evidence.Select(e => "\"" + e + "\""))} ({clock})");
        }
        catch (Exception e) when (e is ServiceManagerException or IOException)
        {
            return (null, "the target's evidence could not be read: " + e.Message);
        }
    }

    /// <summary>The manager's history of the unit since <paramref name="previousPid"/>, and how far the target's clock is ahead of the server's.</summary>
    private async Task<(ServiceHistory? History, TimeSpan TargetAhead, string? WhyNot)> ReadHistoryAsync(
        ISshSession ssh, TargetDefinition target, ServiceDefinition service, int previousPid, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ssh);
        IServiceManager manager = _status.ManagerOf(target);
        DateTime asked = _time.GetUtcNow().UtcDateTime;
        Task<CommandResult> history = ssh.RunAsync(manager.History(service.UnitName), LogScanner.DefaultCommandTimeout, cancellationToken);
        CommandResult clock = await ssh.RunAsync(TargetClock.Read, LogScanner.DefaultCommandTimeout, cancellationToken);
        DateTime answered = _time.GetUtcNow().UtcDateTime;
        if (!clock.Succeeded || TargetClock.Parse(clock.Stdout) is not { } targetNow)
        {
            await ((Task)history).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            return (null, TimeSpan.Zero, $"the target's clock could not be read (`{TargetClock.Read}`: {clock.Summary()})");
        }

        // The target's clock against the server's, at the midpoint of the round trip (good to that round trip).
        TimeSpan ahead = targetNow.UtcDateTime - (asked + ((answered - asked) / 2));
        return (manager.ParseHistory(service.UnitName, previousPid, await history, targetNow.Offset), ahead, null);
    }

    /// <summary>
    /// Chooses the bounds: from the moment the manager began stopping the old process (the earliest it can have stopped
    /// answering) to the first line in which the new one said it listens, or — without such a line — to the first
    /// successful probe of the re-delivered step, which is then an upper bound. Target times are moved to the server's clock.
    /// </summary>
    public static (EarlierOutage? Outage, string? WhyNot) Measure(
        string unit, int previousPid, ServiceHistory history, IReadOnlyList<string> readyLines, ReadinessTimeline? watch, TimeSpan targetAhead)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(readyLines);
        if ((history.StopBeganUtc ?? history.StoppedUtc) is not { } down)
        {
            return (null, $"{history.Source} records no stop of {unit} after pid {previousPid}");
        }

        DateTime from = down - targetAhead;
        DateTime newSince = history.SpawnedUtc ?? history.StoppedUtc ?? down;
        string? listening = readyLines.FirstOrDefault(l => TargetClock.LineTimeUtc(l) is { } at && at >= newSince);
        DateTime until;
        string end;
        if (listening is not null)
        {
            until = TargetClock.LineTimeUtc(listening)!.Value - targetAhead;
            end = $"{unit}'s log: \"{LogText(listening)}\"; from the stop's start to the new process listening";
        }
        else if (watch is { ReadyUtc: { } ready })
        {
            until = ready;
            end = watch.FirstFailureUtc is null
                ? string.Create(CultureInfo.InvariantCulture, $"no line of {unit}'s saying it listens; the re-delivered step's first probe of {watch.Probe} answered at {ready:HH:mm:ss.fff} UTC: an upper bound (it may have answered earlier)")
                : string.Create(CultureInfo.InvariantCulture, $"the re-delivered step's probe of {watch.Probe} answered again at {ready:HH:mm:ss.fff} UTC (polled every {watch.IntervalMs} ms)");
        }
        else
        {
            return (null, $"{history.Source} shows {unit} stopped at {down:HH:mm:ss.fff} UTC, and it has not answered since");
        }

        if (until < from)
        {
            return (null, $"the target's evidence is inconsistent: {unit} answered at {until:HH:mm:ss.fff} UTC, before it began to stop at {from:HH:mm:ss.fff} UTC");
        }

        string clock = string.Create(CultureInfo.InvariantCulture, $"{history.Resolution} timestamps; the target's clock {Math.Abs(targetAhead.TotalSeconds):0.000} s {(targetAhead >= TimeSpan.Zero ? "ahead of" : "behind")} the server's, corrected");
        string method = $"from target evidence: {history.Source}: {string.Join(", ", history.Evidence.Select(e => "\"" + e + "\""))}; {end} ({clock})";
        return (new EarlierOutage(from, until, method), null);
    }

    private static string LogText(string line) => line.Length > 200 ? line[..200] + "…" : line;
}
