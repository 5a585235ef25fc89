using System.Globalization;
using Remediation.Ssh;

namespace Remediation.ServiceManagers;

/// <summary>systemd's history of a unit: the timestamps systemd keeps for its last state changes, read without root.</summary>
public sealed partial class SystemdServiceManager
{
    private const string HistoryProperties = "ActiveExitTimestamp,InactiveEnterTimestamp,ExecMainStartTimestamp,ActiveEnterTimestamp,ExecMainPID";

    /// <summary><c>--timestamp=us+utc</c> (systemd 248 and later): microseconds, in UTC whatever the target's zone.</summary>
    public RemoteCommand History(string unit) =>
        RemoteCommand.Run(Systemctl, "show", "-p", HistoryProperties, "--timestamp=us+utc", "--no-pager", unit);

    /// <summary>
    /// ActiveExitTimestamp is when the stop began, InactiveEnterTimestamp when the unit was down; ExecMainStartTimestamp
    /// and ActiveEnterTimestamp count only when they come after that (otherwise they belong to the start before the
    /// stop). systemd keeps only the latest of each, so <paramref name="previousPid"/> cannot be matched here.
    /// </summary>
    public ServiceHistory ParseHistory(string unit, int? previousPid, CommandResult result, TimeSpan targetUtcOffset)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.TimedOut || result.ExitCode != 0)
        {
            throw new ServiceManagerException($"Cannot read the timestamps of unit {unit}: {result.Summary()}");
        }

        Dictionary<string, string> properties = ParseProperties(result.Stdout);
        DateTime? activeExit = Timestamp(properties, "ActiveExitTimestamp");
        DateTime? inactiveEnter = Timestamp(properties, "InactiveEnterTimestamp");
        if (inactiveEnter is null || (activeExit is { } exit && exit > inactiveEnter))
        {
            return new ServiceHistory { Source = "systemctl show", Resolution = "microsecond" };
        }

        DateTime? execStart = Timestamp(properties, "ExecMainStartTimestamp") is { } s && s >= inactiveEnter ? s : null;
        DateTime? activeEnter = Timestamp(properties, "ActiveEnterTimestamp") is { } a && a >= inactiveEnter ? a : null;
        int? pid = execStart is not null && int.TryParse(properties.GetValueOrDefault("ExecMainPID"), NumberStyles.None, CultureInfo.InvariantCulture, out int p) && p > 0 ? p : null;
        string[] names = ["ActiveExitTimestamp", "InactiveEnterTimestamp", .. execStart is null ? Array.Empty<string>() : ["ExecMainStartTimestamp", "ExecMainPID"], .. activeEnter is null ? Array.Empty<string>() : ["ActiveEnterTimestamp"]];
        return new ServiceHistory
        {
            Source = "systemctl show",
            Resolution = "microsecond",
            StopBeganUtc = activeExit,
            StoppedUtc = inactiveEnter,
            SpawnedUtc = execStart,
            SpawnedPid = pid,
            RunningUtc = activeEnter,
            Evidence = [.. names.Where(properties.ContainsKey).Select(n => $"{n}={properties[n]}")],
        };
    }

    // "Wed 2026-12-02 04:36:57.123456 UTC"; empty when the unit never made that change.
    private static DateTime? Timestamp(Dictionary<string, string> properties, string name) =>
        properties.TryGetValue(name, out string? text)
        && text.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [_, var day, var time, "UTC"]
        && DateTime.TryParseExact($"{day} {time}", "yyyy-MM-dd HH:mm:ss.FFFFFF", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out DateTime at)
            ? at
            : null;
}
