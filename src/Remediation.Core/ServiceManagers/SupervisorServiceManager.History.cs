using System.Globalization;
using System.Text.RegularExpressions;
using Remediation.Ssh;

namespace Remediation.ServiceManagers;

/// <summary>supervisor's history of a program: supervisord's own log, read as the SSH user.</summary>
public sealed partial class SupervisorServiceManager
{
    /// <summary>
    /// supervisord's main log (Debian's <c>logfile=</c>). supervisord creates it 0644 (its umask 022), so the SSH user
    /// reads it without sudo; a target that restricts it needs the SSH user in the file's group.
    /// </summary>
    public const string EventLog = "/var/log/supervisor/supervisord.log";

    /// <summary>supervisord logs a few lines per state change: 200 lines reach back over many restarts.</summary>
    public const int HistoryLines = 200;

    public RemoteCommand History(string unit) =>
        RemoteCommand.Run("/usr/bin/tail", "-n", HistoryLines.ToString(CultureInfo.InvariantCulture), EventLog);

    /// <summary>
    /// Finds, in supervisord's log (local time, milliseconds), the first stop after <paramref name="previousPid"/> was
    /// spawned — "waiting for odoo to stop" when supervisord had to wait for it, then "stopped: odoo (…)" or
    /// "exited: odoo (…)" — and the "spawned: 'odoo' with pid N" and "success: odoo entered RUNNING state" after it.
    /// Without the spawn of <paramref name="previousPid"/> in reach (a rotated log), the last stop is taken.
    /// </summary>
    public ServiceHistory ParseHistory(string unit, int? previousPid, CommandResult result, TimeSpan targetUtcOffset)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (!result.Succeeded)
        {
            throw new ServiceManagerException($"Cannot read supervisord's log {EventLog}: {result.Summary()}");
        }

        List<(DateTime At, string Kind, int? Pid, string Line)> events = [];
        foreach (string raw in result.Stdout.Split('\n'))
        {
            string line = raw.TrimEnd('\r');
            Match m = EventLine().Match(line);
            if (!m.Success || !DateTime.TryParseExact(m.Groups["at"].Value, "yyyy-MM-dd HH:mm:ss,fff", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTime local))
            {
                continue;
            }

            string message = m.Groups["message"].Value;
            DateTime at = DateTime.SpecifyKind(local - targetUtcOffset, DateTimeKind.Utc);
            (string? kind, int? pid) = Classify(unit, message);
            if (kind is not null)
            {
                events.Add((at, kind, pid, $"{message} at {m.Groups["at"].Value}"));
            }
        }

        string source = string.Create(CultureInfo.InvariantCulture, $"supervisord's log (local time, UTC{(targetUtcOffset < TimeSpan.Zero ? "-" : "+")}{targetUtcOffset:hh\\:mm})");
        int from = previousPid is { } old ? events.FindLastIndex(e => e.Kind == "spawned" && e.Pid == old) + 1 : 0;
        int stopped = from > 0
            ? events.FindIndex(from, e => e.Kind == "stopped")
            : events.FindLastIndex(e => e.Kind == "stopped");
        if (stopped < 0)
        {
            return new ServiceHistory { Source = source, Resolution = "millisecond" };
        }

        // "waiting for … to stop" repeats every 2 s while supervisord waits: the first of the run just before the stop is when it began.
        int began = -1;
        for (int i = stopped - 1; i >= from && events[i].Kind == "waiting"; i--)
        {
            began = i;
        }

        int spawned = events.FindIndex(stopped, e => e.Kind == "spawned");
        int running = spawned < 0 ? -1 : events.FindIndex(spawned, e => e.Kind == "running");
        int[] used = [.. new[] { began, stopped, spawned, running }.Where(i => i >= 0)];
        return new ServiceHistory
        {
            Source = source,
            Resolution = "millisecond",
            StopBeganUtc = began >= 0 ? events[began].At : null,
            StoppedUtc = events[stopped].At,
            SpawnedUtc = spawned >= 0 ? events[spawned].At : null,
            SpawnedPid = spawned >= 0 ? events[spawned].Pid : null,
            RunningUtc = running >= 0 ? events[running].At : null,
            Evidence = [.. used.Select(i => events[i].Line)],
        };
    }

    private static (string? Kind, int? Pid) Classify(string unit, string message)
    {
        if (message == $"waiting for {unit} to stop")
        {
            return ("waiting", null);
        }

        if (message.StartsWith($"stopped: {unit} (", StringComparison.Ordinal) || message.StartsWith($"exited: {unit} (", StringComparison.Ordinal))
        {
            return ("stopped", null);
        }

        if (message.StartsWith($"success: {unit} entered RUNNING state", StringComparison.Ordinal))
        {
            return ("running", null);
        }

        string spawned = $"spawned: '{unit}' with pid ";
        return message.StartsWith(spawned, StringComparison.Ordinal)
            && int.TryParse(message.AsSpan(spawned.Length), NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
                ? ("spawned", pid)
                : (null, null);
    }

    // "2026-12-02 04:36:58,441 INFO success: odoo entered RUNNING state, process has stayed up for > than 1 seconds (startsecs)"
    [GeneratedRegex(@"^(?<at>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) [A-Z]+ (?<message>.*)$")]
    private static partial Regex EventLine();
}
