using System.Globalization;
using System.Text.RegularExpressions;
using Remediation.Ssh;

namespace Remediation.ServiceManagers;

/// <summary>supervisor: reads and acts through <c>sudo -n supervisorctl</c> (its socket is root-only).</summary>
public sealed partial class SupervisorServiceManager : IServiceManager
{
    private const string Supervisorctl = "/usr/bin/supervisorctl";

    public static SupervisorServiceManager Instance { get; } = new();

    public RemoteCommand Status(string unit) => RemoteCommand.RunAsRoot(Supervisorctl, "status", unit);

    /// <summary>
    /// <c>supervisorctl status all</c> lists every program in one Python start-up. "all" rather than no argument: the
    /// drop-in can list it as an exact command line (sudo 1.9.13 does not match <c>status ""</c> to a bare <c>status</c>).
    /// </summary>
    public RemoteCommand StatusAll(IReadOnlyList<string> units) => RemoteCommand.RunAsRoot(Supervisorctl, "status", "all");

    public bool CommandsReportOutcome => true;

    /// <summary>
    /// Reads supervisorctl's last line for the program: "odoo: started", "odoo: stopped", "odoo: ERROR (already
    /// started)", "odoo: ERROR (not running)" (a restart prints its stop line, then its start line). Anything else —
    /// a spawn error, an abnormal termination, a timeout, a refusal — proves nothing here. The exit code is 0 for all
    /// of these, so only the text counts.
    /// </summary>
    public CommandOutcome? OutcomeOf(string unit, CommandResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.TimedOut || result.ExitCode is null)
        {
            return null;
        }

        string? last = result.Stdout.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .LastOrDefault(line => line.StartsWith(unit + ":", StringComparison.Ordinal));
        return last?[(unit.Length + 1)..].Trim() switch
        {
            "started" => CommandOutcome.Started,
            "ERROR (already started)" => CommandOutcome.AlreadyStarted,
            "stopped" => CommandOutcome.Stopped,
            "ERROR (not running)" => CommandOutcome.NotRunning,
            _ => null,
        };
    }

    public RemoteCommand Restart(string unit) => RemoteCommand.RunAsRoot(Supervisorctl, "restart", unit);

    public RemoteCommand Stop(string unit) => RemoteCommand.RunAsRoot(Supervisorctl, "stop", unit);

    public RemoteCommand Start(string unit) => RemoteCommand.RunAsRoot(Supervisorctl, "start", unit);

    /// <summary>
    /// supervisor has no reload of its own: it signals the program (<c>supervisorctl signal HUP</c>). Only asked for
    /// services whose inventory says <c>canReload</c> — nginx, for which HUP is exactly "reload the configuration".
    /// </summary>
    public RemoteCommand Reload(string unit) => RemoteCommand.RunAsRoot(Supervisorctl, "signal", "HUP", unit);

    /// <summary>
    /// Reads the state column of <c>supervisorctl status</c>. The exit code is not trusted: it is 0 for BACKOFF and
    /// STARTING, 3 for STOPPED/EXITED/FATAL, and 4 both for an unknown program and for a dead supervisord.
    /// </summary>
    public ServiceStatus ParseStatus(string unit, CommandResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        string[] lines = ReadableLines(unit, result);
        string output = result.Stdout + "\n" + result.Stderr;
        if (output.Contains("ERROR (no such process)", StringComparison.Ordinal))
        {
            throw new ServiceManagerException($"program {unit} is not configured in supervisor on this target");
        }

        return FindProgram(unit, lines) ?? throw new ServiceManagerException($"Cannot read the status of program {unit}: {result.Summary()}");
    }

    /// <summary>
    /// Reads the listing of all programs (exit 3 when any is not running; the state column decides). A program of the
    /// inventory that supervisor does not list is not configured on this target.
    /// </summary>
    public IReadOnlyList<ServiceStatus> ParseStatuses(IReadOnlyList<string> units, CommandResult result)
    {
        ArgumentNullException.ThrowIfNull(units);
        ArgumentNullException.ThrowIfNull(result);
        string[] lines = ReadableLines(string.Join(", ", units), result);
        return [.. units.Select(unit => FindProgram(unit, lines)
            ?? throw new ServiceManagerException($"program {unit} is not configured in supervisor on this target (`{result.Command}` does not list it)"))];
    }

    private static string[] ReadableLines(string units, CommandResult result)
    {
        if (SudoRefusal.IsRefused(result))
        {
            throw new ServiceManagerException(SudoRefusal.Explain(result));
        }

        if (result.TimedOut)
        {
            throw new ServiceManagerException($"Cannot read the status of program {units}: {result.Summary()}");
        }

        if (SupervisordDown().IsMatch(result.Stdout + "\n" + result.Stderr))
        {
            throw new ServiceManagerException($"supervisord is not running on this target ({result.Summary()})");
        }

        return result.Stdout.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
    }

    private static ServiceStatus? FindProgram(string unit, string[] lines)
    {
        foreach (string line in lines)
        {
            Match match = StatusLine().Match(line);
            if (match.Success && IsThisProgram(match.Groups["name"].Value, unit))
            {
                string raw = match.Groups["state"].Value;
                string detail = match.Groups["detail"].Value.Trim();
                Match pid = PidField().Match(detail);
                int? mainPid = pid.Success && int.TryParse(pid.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int value)
                    ? value
                    : null;
                return new ServiceStatus(unit, MapState(raw), raw, raw == "RUNNING" ? mainPid : null, detail);
            }
        }

        return null;
    }

    internal static ServiceState MapState(string raw) => raw switch
    {
        "RUNNING" => ServiceState.Running,

        // BACKOFF is supervisor retrying a start that exited too quickly; it ends in RUNNING or FATAL.
        "STARTING" or "BACKOFF" => ServiceState.Starting,
        "STOPPING" => ServiceState.Stopping,
        "STOPPED" or "EXITED" => ServiceState.Stopped,
        "FATAL" => ServiceState.Failed,
        _ => ServiceState.Unknown,
    };

    // A program inside a group is listed as "group:name"; asking for the group lists its members.
    private static bool IsThisProgram(string listed, string unit) =>
        string.Equals(listed, unit, StringComparison.Ordinal)
        || listed.StartsWith(unit + ":", StringComparison.Ordinal);

    // "odoo                             RUNNING   pid 1234, uptime 0:01:02"
    [GeneratedRegex(@"^(?<name>\S+)\s+(?<state>[A-Z]+)\b(?<detail>.*)$")]
    private static partial Regex StatusLine();

    [GeneratedRegex(@"\bpid (\d+)\b")]
    private static partial Regex PidField();

    // "unix:///var/run/supervisor.sock no such file", "unix:///… refused connection", "http://… refused connection"
    [GeneratedRegex(@"^(?:unix|https?)://\S+ (?:no such file|refused connection)", RegexOptions.Multiline)]
    private static partial Regex SupervisordDown();
}
