using System.Globalization;
using Remediation.Ssh;

namespace Remediation.ServiceManagers;

/// <summary>systemd: reads <c>systemctl show</c> properties and acts through <c>sudo -n systemctl</c>.</summary>
public sealed class SystemdServiceManager : IServiceManager
{
    private const string Systemctl = "/usr/bin/systemctl";

    public static SystemdServiceManager Instance { get; } = new();

    /// <summary>
    /// <c>systemctl show</c> rather than <c>status</c>: machine-readable Key=Value lines, exit 0 whatever the state,
    /// and no root needed to read them.
    /// </summary>
    public RemoteCommand Status(string unit) =>
        RemoteCommand.Run(Systemctl, "show", "-p", "LoadState,ActiveState,SubState,MainPID", "--no-pager", unit);

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

        Dictionary<string, string> properties = ParseProperties(result.Stdout);
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
