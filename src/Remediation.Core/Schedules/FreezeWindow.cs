namespace Remediation.Schedules;

/// <summary>A validated freeze window: recurring (a <see cref="CronSchedule"/>) or one fixed span.</summary>
public sealed class FreezeWindow
{
    private readonly CronSchedule? _schedule;

    public FreezeWindow(FreezeWindowDefinition definition, CronSchedule? schedule)
    {
        ArgumentNullException.ThrowIfNull(definition);
        Definition = definition;
        _schedule = schedule;
    }

    public string Name => Definition.Name;

    public FreezeWindowDefinition Definition { get; }

    public bool Covers(string target) => Definition.Targets.Count == 0 || Definition.Targets.Contains(target, StringComparer.Ordinal);

    /// <summary>When the freeze open at <paramref name="utc"/> ends; null when it is not open then.</summary>
    public DateTime? OpenUntil(DateTime utc)
    {
        if (_schedule is not null)
        {
            return _schedule.OpenAt(utc) is { } start ? start + _schedule.Duration : null;
        }

        DateTime from = Definition.From!.Value.UtcDateTime;
        DateTime until = Definition.Until!.Value.UtcDateTime;
        return utc >= from && utc < until ? until : null;
    }
}
