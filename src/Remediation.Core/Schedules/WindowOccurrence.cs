namespace Remediation.Schedules;

/// <summary>One opening of a maintenance window: when its notice goes out, when it opens and closes (UTC).</summary>
public sealed record WindowOccurrence(string Window, DateTime StartUtc, DateTime EndUtc, DateTime NoticeUtc)
{
    /// <summary>The occurrence's key in instance ids and blob names: minute resolution is what cron gives.</summary>
    public string Key => StartUtc.ToString("yyyyMMdd'T'HHmm'Z'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The one orchestration instance id of this occurrence: every process computes the same.</summary>
    public string InstanceId => $"window.{Window}.{Key}";

    public bool Contains(DateTime utc) => utc >= StartUtc && utc < EndUtc;
}
