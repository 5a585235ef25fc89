using System.Globalization;
using System.Text.RegularExpressions;
using Remediation.Ssh;

namespace Remediation.Probes;

/// <summary>
/// The target's clock: its UTC offset (for logs written in local time, like supervisord's) and how far it is from the
/// server's, so times the target recorded can sit beside times the server measured.
/// </summary>
public static partial class TargetClock
{
    /// <summary><c>date --rfc-3339=ns</c>: "2026-12-02 04:36:57.123456789+01:00" — local time with its offset, nanoseconds.</summary>
    public static RemoteCommand Read { get; } = RemoteCommand.Run("/usr/bin/date", "--rfc-3339=ns");

    /// <summary>Reads <see cref="Read"/>'s output; null when it is not in that format.</summary>
    public static DateTimeOffset? Parse(string stdout)
    {
        Match m = Rfc3339().Match(stdout?.Trim() ?? "");
        if (!m.Success)
        {
            return null;
        }

        // .NET parses at most 7 fractional digits (100 ns): the rest is below anything measured here.
        string fraction = m.Groups["fraction"].Value.PadRight(7, '0')[..7];
        return DateTimeOffset.TryParseExact(
            $"{m.Groups["at"].Value}.{fraction}{m.Groups["offset"].Value}", "yyyy-MM-dd HH:mm:ss.fffffffzzz", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTimeOffset at)
                ? at
                : null;
    }

    /// <summary>
    /// A log line's leading time in UTC: "2026-12-02 04:36:57,681 2733 INFO …" (Odoo, which always runs in UTC) or
    /// "2026-12-02 04:36:57.600 UTC [2732] LOG: …" (PostgreSQL's %m); null for any other zone or format.
    /// </summary>
    public static DateTime? LineTimeUtc(string line)
    {
        Match m = LogLineTime().Match(line ?? "");
        if (!m.Success || (m.Groups["zone"].Success && m.Groups["zone"].Value is not ("UTC" or "GMT")))
        {
            return null;
        }

        return DateTime.TryParseExact(m.Groups["at"].Value.Replace('.', ','), "yyyy-MM-dd HH:mm:ss,fff", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out DateTime at)
            ? at
            : null;
    }

    [GeneratedRegex(@"^(?<at>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)\.(?<fraction>\d{1,9})(?<offset>[+-]\d\d:\d\d)$")]
    private static partial Regex Rfc3339();

    [GeneratedRegex(@"^(?<at>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d[,.]\d{3})(?: (?<zone>[A-Za-z][A-Za-z0-9/_+-]*))? ")]
    private static partial Regex LogLineTime();
}
