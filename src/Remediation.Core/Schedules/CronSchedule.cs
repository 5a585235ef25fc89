using Cronos;

namespace Remediation.Schedules;

/// <summary>A cron expression read in an IANA time zone, each occurrence open for a duration; Cronos does the calendar (DST gaps and overlaps included).</summary>
public sealed class CronSchedule
{
    private readonly CronExpression _cron;
    private readonly TimeZoneInfo _zone;

    private CronSchedule(CronExpression cron, TimeZoneInfo zone, TimeSpan duration)
    {
        _cron = cron;
        _zone = zone;
        Duration = duration;
    }

    public TimeSpan Duration { get; }

    /// <summary>Parses the expression and finds the zone; the message names <paramref name="what"/> and the field at fault.</summary>
    public static CronSchedule Parse(string what, string? expression, string? timeZone, TimeSpan duration)
    {
        if (string.IsNullOrWhiteSpace(expression))
        {
            throw new ScheduleException($"{what}: 'cron' is required (5 fields: minute hour day-of-month month day-of-week, e.g. \"0 2 * * 0\").");
        }

        CronExpression cron;
        try
        {
            cron = CronExpression.Parse(expression.Trim(), CronFormat.Standard);
        }
        catch (CronFormatException e)
        {
            throw new ScheduleException($"{what}: 'cron' value \"{expression}\" is not a 5-field cron expression: {e.Message}", e);
        }

        TimeZoneInfo zone;
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(string.IsNullOrWhiteSpace(timeZone) ? "UTC" : timeZone.Trim());
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new ScheduleException($"{what}: 'timeZone' value \"{timeZone}\" is not an IANA time zone this machine knows (e.g. \"Europe/Berlin\", \"UTC\").", e);
        }

        if (duration <= TimeSpan.Zero || duration > TimeSpan.FromDays(31))
        {
            throw new ScheduleException($"{what}: 'duration' must be more than zero and at most 31 days (e.g. \"02:00:00\"); it is {duration}.");
        }

        return new CronSchedule(cron, zone, duration);
    }

    /// <summary>Occurrence starts (UTC) in [<paramref name="fromUtc"/>, <paramref name="toUtc"/>].</summary>
    public IEnumerable<DateTime> StartsBetween(DateTime fromUtc, DateTime toUtc) =>
        fromUtc > toUtc ? [] : _cron.GetOccurrences(Utc(fromUtc), Utc(toUtc), _zone, fromInclusive: true, toInclusive: true).Select(o => o.UtcDateTime);

    /// <summary>The first occurrence start at or after <paramref name="fromUtc"/>; null when the expression never fires again.</summary>
    public DateTime? NextStart(DateTime fromUtc) => _cron.GetNextOccurrence(Utc(fromUtc), _zone, inclusive: true)?.UtcDateTime;

    /// <summary>The occurrence open at <paramref name="utc"/>, if any (the latest one, when occurrences overlap).</summary>
    public DateTime? OpenAt(DateTime utc) => StartsBetween(utc - Duration + TimeSpan.FromTicks(1), utc).Cast<DateTime?>().LastOrDefault();

    private static DateTimeOffset Utc(DateTime utc) => new(DateTime.SpecifyKind(utc, DateTimeKind.Utc));
}
