namespace Remediation.Schedules;

/// <summary>A validated maintenance window: its definition and its parsed schedule.</summary>
public sealed class MaintenanceWindow
{
    public MaintenanceWindow(MaintenanceWindowDefinition definition, CronSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(definition);
        Definition = definition;
        Schedule = schedule;
    }

    public string Name => Definition.Name;

    public MaintenanceWindowDefinition Definition { get; }

    public CronSchedule Schedule { get; }

    public bool Covers(string target) => Definition.Targets.Contains(target, StringComparer.Ordinal);

    public WindowOccurrence OccurrenceAt(DateTime startUtc) =>
        new(Name, startUtc, startUtc + Schedule.Duration, startUtc - Definition.NoticeLead);
}
