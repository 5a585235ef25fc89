using System.Globalization;
using System.Text.RegularExpressions;
using Remediation.Ssh;

namespace Remediation.ServiceManagers;

/// <summary>
/// The commands and the judgement of <see cref="OdooUnitPreflight"/>: <c>systemctl show -p KillMode,KillSignal,TimeoutStopUSec</c>
/// (no root needed) and a <c>grep -w limit_time_real</c> of Odoo's config file (only that line is read: the file also
/// holds the database password).
/// </summary>
public static partial class OdooUnitPreflightCheck
{
    /// <summary>Odoo's default <c>limit_time_real</c> (odoo/tools/config.py) when the config file does not set it.</summary>
    public const int OdooDefaultLimitTimeReal = 120;

    /// <summary>Where Odoo's packages put its configuration, when the inventory names no config file.</summary>
    public const string DefaultConfigFile = "/etc/odoo/odoo.conf";

    private const int SigKill = 9;

    public static RemoteCommand Show(string unit) =>
        RemoteCommand.Run("/usr/bin/systemctl", "show", "-p", "KillMode,KillSignal,TimeoutStopUSec", "--no-pager", unit);

    public static RemoteCommand ReadLimitTimeReal(string configFile) => RemoteCommand.Run("/usr/bin/grep", "-w", "limit_time_real", configFile);

    /// <summary>Judges the two results; throws <see cref="ServiceManagerException"/> when systemd's answer cannot be read.</summary>
    public static OdooUnitPreflight Judge(string service, string unit, CommandResult show, CommandResult limit, string configFile)
    {
        ArgumentNullException.ThrowIfNull(show);
        ArgumentNullException.ThrowIfNull(limit);
        if (!show.Succeeded)
        {
            throw new ServiceManagerException($"Cannot read the stop settings of unit {unit}: {show.Summary()}");
        }

        Dictionary<string, string> properties = show.Stdout.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        string? killMode = properties.GetValueOrDefault("KillMode");
        int? killSignal = int.TryParse(properties.GetValueOrDefault("KillSignal"), NumberStyles.None, CultureInfo.InvariantCulture, out int signal) ? signal : null;
        string timeoutRaw = properties.GetValueOrDefault("TimeoutStopUSec", "");
        double? timeout = ParseTimespanSeconds(timeoutRaw);

        // grep: 0 a line matched, 1 none (Odoo's default applies), anything else the file could not be read.
        (int limitSeconds, string source, string? unreadable) = limit.ExitCode switch
        {
            0 when ParseLimitTimeReal(limit.Stdout) is { } seconds => (seconds, configFile, null),
            0 or 1 => (OdooDefaultLimitTimeReal, $"Odoo's default; not set in {configFile}", null),
            _ => (OdooDefaultLimitTimeReal, "Odoo's default; config unreadable", $"{configFile} could not be read ({limit.Summary()}), so Odoo's default limit_time_real of {OdooDefaultLimitTimeReal} s was assumed"),
        };

        var warnings = new List<string>();
        if (unreadable is not null)
        {
            warnings.Add($"Pre-flight of {unit}: {unreadable}");
        }

        if (killSignal == SigKill)
        {
            warnings.Add($"Pre-flight of {unit}: KillSignal=SIGKILL: systemd kills Odoo outright on every stop, without letting it finish a single request");
        }
        else if (timeout is { } stopSeconds && stopSeconds < limitSeconds)
        {
            warnings.Add(string.Create(CultureInfo.InvariantCulture,
                $"Pre-flight of {unit}: TimeoutStopSec={timeoutRaw} is shorter than Odoo's limit_time_real of {limitSeconds} s ({source}): systemd sends SIGKILL {stopSeconds:0.###} s after SIGTERM, so requests still running then are cut off; set TimeoutStopSec to at least {limitSeconds}s in a drop-in"));
        }

        if (killMode == "control-group")
        {
            warnings.Add($"Pre-flight of {unit}: KillMode=control-group sends the stop signal to every Odoo worker at once instead of to the main process only, so workers drop their requests rather than being drained by Odoo's master; Odoo's own unit uses KillMode=mixed");
        }

        return new OdooUnitPreflight
        {
            Service = service,
            Unit = unit,
            KillMode = killMode,
            KillSignal = killSignal,
            TimeoutStopSeconds = timeout,
            TimeoutStopRaw = timeoutRaw,
            LimitTimeRealSeconds = limitSeconds,
            LimitTimeRealSource = source,
            Warnings = warnings,
        };
    }

    /// <summary>
    /// systemd's human time span as <c>systemctl show</c> prints it ("1min 30s", "90s", "500ms", "2h 5min", "infinity");
    /// null for infinity or anything unreadable.
    /// </summary>
    public static double? ParseTimespanSeconds(string text)
    {
        string value = (text ?? "").Trim();
        if (value.Length == 0 || value == "infinity")
        {
            return null;
        }

        double total = 0;
        int consumed = 0;
        foreach (Match part in TimespanPart().Matches(value))
        {
            double amount = double.Parse(part.Groups["n"].Value, CultureInfo.InvariantCulture);
            total += amount * part.Groups["unit"].Value switch
            {
                "y" => 31_557_600,
                "month" => 2_629_800,
                "w" => 604_800,
                "d" => 86_400,
                "h" => 3_600,
                "min" => 60,
                "s" or "" => 1,
                "ms" => 0.001,
                "us" or "μs" => 0.000_001,
                _ => double.NaN,
            };
            consumed += part.Value.Trim().Length;
        }

        return consumed == value.Replace(" ", "", StringComparison.Ordinal).Length && !double.IsNaN(total) ? total : null;
    }

    /// <summary>The <c>limit_time_real = N</c> line of Odoo's config (comments and other keys ignored); null when none.</summary>
    public static int? ParseLimitTimeReal(string grepOutput)
    {
        int? found = null;
        foreach (string line in (grepOutput ?? "").Split('\n'))
        {
            Match match = LimitLine().Match(line);
            if (match.Success)
            {
                found = int.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture);   // the last one wins, as in configparser
            }
        }

        return found;
    }

    [GeneratedRegex(@"(?<n>\d+(?:\.\d+)?)\s*(?<unit>month|min|ms|us|μs|[ywdhs])?")]
    private static partial Regex TimespanPart();

    [GeneratedRegex(@"^\s*limit_time_real\s*[=:]\s*(?<n>\d+)\s*$")]
    private static partial Regex LimitLine();
}
