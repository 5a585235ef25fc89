using System.Globalization;
using Remediation.Ssh;

namespace Remediation.ServiceManagers;

/// <summary>systemd: reads <c>systemctl show</c> properties and acts through <c>sudo -n systemctl</c>.</summary>
public sealed partial class SystemdServiceManager : IServiceManager
{
    private const string Systemctl = "/usr/bin/systemctl";
    private const string Properties = "LoadState,ActiveState,SubState,MainPID";

    public static SystemdServiceManager Instance { get; } = new();

    /// <summary>
    /// <c>systemctl show</c> rather than <c>status</c>: machine-readable Key=Value lines, exit 0 whatever the state,
    /// and no root needed to read them.
    /// </summary>
    public RemoteCommand Status(string unit) => StatusAll([unit]);

    /// <summary>
    /// <c>systemctl show</c> takes several units and prints one block of properties per unit, in the order given,
    /// separated by an empty line.
    /// </summary>
    public RemoteCommand StatusAll(IReadOnlyList<string> units)
    {
        ArgumentNullException.ThrowIfNull(units);
        ArgumentOutOfRangeException.ThrowIfZero(units.Count);
        return RemoteCommand.Run(Systemctl, ["show", "-p", Properties, "--no-pager", .. units]);
    }

    public bool CommandsReportOutcome => false;

    /// <summary>systemctl prints nothing on success and exits 0 for a start of an active unit as for a real start: it proves nothing.</summary>
    public CommandOutcome? OutcomeOf(string unit, CommandResult result) => null;

    public RemoteCommand Restart(string unit) => RemoteCommand.RunAsRoot(Systemctl, "restart", unit);

    public RemoteCommand Stop(string unit) => RemoteCommand.RunAsRoot(Systemctl, "stop", unit);

    public RemoteCommand Start(string unit) => RemoteCommand.RunAsRoot(Systemctl, "start", unit);

    public RemoteCommand Reload(string unit) => RemoteCommand.RunAsRoot(Systemctl, "reload", unit);

    public ServiceStatus ParseStatus(string unit, CommandResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.TimedOut || result.ExitCode != 0)
        {
            throw new ServiceManagerException($"Cannot read the status of unit {unit}: {result.Summary()}");
        }

        return FromProperties(unit, ParseProperties(result.Stdout), result);
    }

    /// <summary>Splits the output into its per-unit blocks and reads each; a block count other than the unit count is refused.</summary>
    public IReadOnlyList<ServiceStatus> ParseStatuses(IReadOnlyList<string> units, CommandResult result)
    {
        ArgumentNullException.ThrowIfNull(units);
        ArgumentNullException.ThrowIfNull(result);
        if (result.TimedOut || result.ExitCode != 0)
        {
            throw new ServiceManagerException($"Cannot read the status of units {string.Join(", ", units)}: {result.Summary()}");
        }

        string[] blocks = result.Stdout.Replace("\r\n", "\n", StringComparison.Ordinal)
            .Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (blocks.Length != units.Count)
        {
            // Blocks are matched to units by position only, so a missing one would shift every status onto the wrong unit.
            throw new ServiceManagerException(
                $"Cannot read the status of units {string.Join(", ", units)}: `{result.Command}` printed {blocks.Length} blocks of properties for {units.Count} units ({FirstLine(result.Stdout)}).");
        }

        return [.. units.Select((unit, i) => FromProperties(unit, ParseProperties(blocks[i]), result))];
    }

    private static ServiceStatus FromProperties(string unit, Dictionary<string, string> properties, CommandResult result)
    {
        if (!properties.TryGetValue("LoadState", out string? loadState) || !properties.TryGetValue("ActiveState", out string? activeState))
        {
            throw new ServiceManagerException($"Cannot read the status of unit {unit}: `{result.Command}` printed no LoadState/ActiveState ({FirstLine(result.Stdout)}).");
        }

        if (loadState == "not-found")
        {
            throw new ServiceManagerException($"unit {unit} is not known to systemd on this target");
        }

        string subState = properties.GetValueOrDefault("SubState", "");
        int? mainPid = properties.TryGetValue("MainPID", out string? pidText)
            && int.TryParse(pidText, NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
            && pid > 0
                ? pid
                : null;

        ServiceState state = activeState switch
        {
            // "active (exited)" is a oneshot that did its job; "reloading" keeps serving the old config meanwhile.
            "active" or "reloading" or "refreshing" => ServiceState.Running,
            "activating" => ServiceState.Starting,
            "deactivating" => ServiceState.Stopping,
            "inactive" => ServiceState.Stopped,
            "failed" => ServiceState.Failed,
            _ => ServiceState.Unknown,
        };

        string raw = subState.Length == 0 ? activeState : $"{activeState} ({subState})";
        string detail = $"LoadState={loadState} ActiveState={activeState} SubState={subState} MainPID={pidText ?? ""}";
        return new ServiceStatus(unit, state, raw, mainPid, detail);
    }

    private static Dictionary<string, string> ParseProperties(string stdout)
    {
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in stdout.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            int equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                properties[line[..equals]] = line[(equals + 1)..];
            }
        }

        return properties;
    }

    private static string FirstLine(string text)
    {
        string trimmed = text.Trim();
        int newline = trimmed.IndexOf('\n', StringComparison.Ordinal);
        return newline >= 0 ? trimmed[..newline] : trimmed;
    }
}
