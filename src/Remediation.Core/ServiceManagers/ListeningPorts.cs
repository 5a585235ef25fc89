using System.Globalization;
using Remediation.Ssh;

namespace Remediation.ServiceManagers;

/// <summary>The runbook's "netstat -tuln | grep -E ':8069|:5432|:80|:443'", as <c>ss -ltnH</c> (no root needed to list listeners).</summary>
public static class ListeningPorts
{
    public static RemoteCommand List() => RemoteCommand.Run("/usr/bin/ss", "-ltnH");

    /// <summary>The TCP ports with a listener; throws <see cref="ServiceManagerException"/> when ss failed.</summary>
    public static IReadOnlySet<int> Parse(CommandResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (!result.Succeeded)
        {
            throw new ServiceManagerException($"Cannot list listening ports: {result.Summary()}");
        }

        // "LISTEN 0 128 127.0.0.1:8069 0.0.0.0:*" and "LISTEN 0 511 [::1]:8080 [::]:*"
        var ports = new HashSet<int>();
        foreach (string line in result.Stdout.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            string[] columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (columns.Length < 4)
            {
                continue;
            }

            string local = columns[3];
            int colon = local.LastIndexOf(':');
            if (colon >= 0 && int.TryParse(local.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port))
            {
                ports.Add(port);
            }
        }

        return ports;
    }
}
