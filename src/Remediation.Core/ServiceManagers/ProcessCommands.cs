using System.Globalization;
using Remediation.Ssh;

namespace Remediation.ServiceManagers;

/// <summary>
/// Finding and killing a service's leftover processes (runbook "Force Restart"). Both are limited to the service's
/// user on purpose: our own <c>sudo pkill -f odoo-bin</c> and the shell running it contain the pattern too, and run
/// as root or the SSH user, so <c>-u</c> keeps us from matching (and killing) ourselves.
/// </summary>
public static class ProcessCommands
{
    private static readonly TimeSpan FindTimeout = TimeSpan.FromSeconds(15);

    /// <summary><c>pgrep -a -u user -f pattern</c>: exit 0 with "pid command line" rows, exit 1 when there are none.</summary>
    public static RemoteCommand FindLeftovers(string user, string pattern) =>
        RemoteCommand.Run("/usr/bin/pgrep", "-a", "-u", user, "-f", pattern);

    /// <summary><c>sudo -n pkill -KILL -u user -f pattern</c>: exit 0 when something was killed, 1 when nothing matched.</summary>
    public static RemoteCommand KillLeftovers(string user, string pattern) =>
        RemoteCommand.RunAsRoot("/usr/bin/pkill", "-KILL", "-u", user, "-f", pattern);

    /// <summary>Lists the processes of <paramref name="user"/> matching <paramref name="pattern"/> over an open session.</summary>
    public static async Task<IReadOnlyList<LeftoverProcess>> FindAsync(ISshSession ssh, string user, string pattern, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ssh);
        return ParseLeftovers(await ssh.RunAsync(FindLeftovers(user, pattern), FindTimeout, cancellationToken));
    }

    /// <summary>Reads a <see cref="FindLeftovers"/> result; throws <see cref="ServiceManagerException"/> when pgrep itself failed.</summary>
    public static IReadOnlyList<LeftoverProcess> ParseLeftovers(CommandResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.ExitCode == 1 && string.IsNullOrWhiteSpace(result.Stderr))
        {
            return [];
        }

        if (!result.Succeeded)
        {
            // 2: bad arguments (e.g. an unknown user), 3: pgrep's own fatal error.
            throw new ServiceManagerException($"Cannot list leftover processes: {result.Summary()}");
        }

        var processes = new List<LeftoverProcess>();
        foreach (string line in result.Stdout.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            int space = line.IndexOf(' ', StringComparison.Ordinal);
            string pidText = space > 0 ? line[..space] : line;
            if (!int.TryParse(pidText, NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
            {
                throw new ServiceManagerException($"Cannot read pgrep's output line '{line}' from `{result.Command}`.");
            }

            processes.Add(new LeftoverProcess(pid, space > 0 ? line[(space + 1)..] : ""));
        }

        return processes;
    }

    /// <summary>Reads a <see cref="KillLeftovers"/> result: true when at least one process was signalled, false when none matched.</summary>
    public static bool ParseKill(CommandResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (SudoRefusal.IsRefused(result))
        {
            throw new ServiceManagerException(SudoRefusal.Explain(result));
        }

        return result switch
        {
            { ExitCode: 0, TimedOut: false } => true,
            { ExitCode: 1, TimedOut: false } when string.IsNullOrWhiteSpace(result.Stderr) => false,
            _ => throw new ServiceManagerException($"Cannot kill leftover processes: {result.Summary()}"),
        };
    }
}
