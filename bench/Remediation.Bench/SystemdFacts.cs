using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Remediation.Bench;

/// <summary>The demo-systemd target from fixture.env (FIXTURE_SYSTEMD_*), and its manager and journal read with <c>nsenter</c>.</summary>
public sealed record SystemdFacts
{
    // sd-messages.h: SD_MESSAGE_UNIT_STARTED, the journal's "Started …" line.
    private const string UnitStarted = "39f53479d3a045ac8e11786248231fbf";

    public required int SshPort { get; init; }
    public required string HostKey { get; init; }
    public required Uri OdooUrl { get; init; }
    public required Uri NginxUrl { get; init; }
    public required int LeaderPid { get; init; }

    public static SystemdFacts? From(IReadOnlyDictionary<string, string> values) =>
        values.TryGetValue("FIXTURE_SYSTEMD_SSH_PORT", out string? port)
            ? new SystemdFacts
            {
                SshPort = int.Parse(port, CultureInfo.InvariantCulture),
                HostKey = values["FIXTURE_SYSTEMD_HOST_KEY"],
                OdooUrl = new Uri(values["FIXTURE_SYSTEMD_ODOO_URL"]),
                NginxUrl = new Uri(values["FIXTURE_SYSTEMD_NGINX_URL"]),
                LeaderPid = int.Parse(values["FIXTURE_SYSTEMD_LEADER_PID"], CultureInfo.InvariantCulture),
            }
            : null;

    public async Task<bool> AllRunningAsync(CancellationToken cancellationToken)
    {
        string shown = await InsideAsync("/usr/bin/systemctl", ["show", "-p", "ActiveState,SubState", "--no-pager", "postgresql", "odoo", "nginx"], cancellationToken);
        return shown.Split('\n').Count(l => l.Trim() == "SubState=running") == 3 && shown.Split('\n').Count(l => l.Trim() == "ActiveState=active") == 3;
    }

    public async Task<string> CursorAsync(CancellationToken cancellationToken)
    {
        await InsideAsync("/usr/bin/journalctl", ["--sync"], cancellationToken);
        string output = await InsideAsync("/usr/bin/journalctl", ["-q", "-n", "0", "--show-cursor"], cancellationToken);
        return output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("-- cursor: ", StringComparison.Ordinal))?["-- cursor: ".Length..]
            ?? throw new BenchException($"journalctl --show-cursor in demo-systemd printed no cursor: {output}");
    }

    public async Task<int> OdooStartsSinceAsync(string cursor, CancellationToken cancellationToken)
    {
        await InsideAsync("/usr/bin/journalctl", ["--sync"], cancellationToken);
        // No journal matches: with them, systemd 252's journalctl --after-cursor skips the first matching entry.
        string output = await InsideAsync("/usr/bin/journalctl", ["-q", "--no-pager", "-o", "json", "--output-fields=_PID,MESSAGE_ID,UNIT", "--after-cursor=" + cursor], cancellationToken);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(IsOdooStarted);
    }

    private static bool IsOdooStarted(string line)
    {
        using var entry = JsonDocument.Parse(line);
        JsonElement root = entry.RootElement;
        return root.TryGetProperty("_PID", out JsonElement pid) && pid.GetString() == "1"
            && root.TryGetProperty("MESSAGE_ID", out JsonElement id) && id.GetString() == UnitStarted
            && root.TryGetProperty("UNIT", out JsonElement unit) && unit.GetString() == "odoo.service";
    }

    private async Task<string> InsideAsync(string file, string[] arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("/usr/bin/nsenter") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in (string[])["-t", LeaderPid.ToString(CultureInfo.InvariantCulture), "-a", "--", file, .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new BenchException("cannot start nsenter");
        string output = await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return output;
    }
}
