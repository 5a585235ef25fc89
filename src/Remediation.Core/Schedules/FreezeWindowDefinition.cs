namespace Remediation.Schedules;

/// <summary>A change freeze: recurring (cron + time zone + duration) or fixed (from/until); empty targets means every target.</summary>
public sealed class FreezeWindowDefinition
{
    public string Name { get; set; } = "";

    public string? Cron { get; set; }

    public string TimeZone { get; set; } = "UTC";

    public TimeSpan? Duration { get; set; }

    /// <summary>A one-off freeze: its start (with offset).</summary>
    public DateTimeOffset? From { get; set; }

    /// <summary>A one-off freeze: its end (exclusive).</summary>
    public DateTimeOffset? Until { get; set; }

    public IList<string> Targets { get; init; } = [];

    public string? Reason { get; set; }
}
