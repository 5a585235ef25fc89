using System.Globalization;
using Microsoft.Extensions.Options;
using Remediation.Intake;
using Remediation.Inventory;

namespace Remediation.Schedules;

/// <summary>
/// The maintenance and freeze windows, validated against the inventory: which occurrences are due, when a target's next
/// window opens, and whether an automatic (alert-triggered) run may go ahead now, waits for that window, or escalates.
/// Pure: the caller brings the time (a <see cref="TimeProvider"/> outside orchestrations).
/// </summary>
public sealed class MaintenanceCalendar
{
    /// <summary>How far ahead <see cref="NextWindow"/> looks before saying no window comes.</summary>
    public static readonly TimeSpan Horizon = TimeSpan.FromDays(400);

    private const int MaxOccurrencesScanned = 5000;

    private readonly HashSet<string> _critical;

    public MaintenanceCalendar(IOptions<SchedulesOptions> options, Inventory.Inventory inventory)
        : this(options?.Value ?? throw new ArgumentNullException(nameof(options)), inventory)
    {
    }

    public MaintenanceCalendar(SchedulesOptions options, Inventory.Inventory inventory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(inventory);
        Options = options;
        _critical = new HashSet<string>(options.CriticalSeverities, StringComparer.OrdinalIgnoreCase);
        Windows = [.. options.MaintenanceWindows.Select((w, i) => Validate(w, i, options, inventory))];
        Freezes = [.. options.FreezeWindows.Select((f, i) => Validate(f, i, inventory))];
        string[] duplicates = [.. Windows.Select(w => w.Name).Concat(Freezes.Select(f => f.Name)).GroupBy(n => n, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key)];
        if (duplicates.Length > 0)
        {
            throw new ScheduleException($"{SchedulesOptions.Section}: window name(s) {string.Join(", ", duplicates)} are used more than once; every maintenance and freeze window needs its own name.");
        }
    }

    public SchedulesOptions Options { get; }

    public IReadOnlyList<MaintenanceWindow> Windows { get; }

    public IReadOnlyList<FreezeWindow> Freezes { get; }

    public MaintenanceWindow? FindWindow(string name) => Windows.FirstOrDefault(w => w.Name == name);

    /// <summary>True for the severities configured as critical (default "critical", "Sev0").</summary>
    public AlertSeverity SeverityOf(string? severity) =>
        severity is not null && _critical.Contains(severity.Trim()) ? AlertSeverity.Critical : AlertSeverity.NotCritical;

    /// <summary>Occurrences whose notice time has come and which have not closed yet: the ones a scheduler tick must fire (once).</summary>
    public IReadOnlyList<WindowOccurrence> DueOccurrences(DateTime nowUtc) =>
    [
        .. Windows.SelectMany(w => w.Schedule
            .StartsBetween(nowUtc - w.Schedule.Duration + TimeSpan.FromTicks(1), nowUtc + w.Definition.NoticeLead)
            .Select(w.OccurrenceAt)
            .Where(o => o.NoticeUtc <= nowUtc && nowUtc < o.EndUtc)),
    ];

    /// <summary>The freezes covering <paramref name="target"/> at <paramref name="nowUtc"/>, with when each ends.</summary>
    public IReadOnlyList<(FreezeWindow Freeze, DateTime UntilUtc)> FreezesAt(string target, DateTime nowUtc) =>
    [
        .. Freezes.Where(f => f.Covers(target))
            .Select(f => (Freeze: f, Until: f.OpenUntil(nowUtc)))
            .Where(x => x.Until is not null)
            .Select(x => (x.Freeze, x.Until!.Value)),
    ];

    /// <summary>
    /// The next maintenance window of <paramref name="target"/> that opens after <paramref name="afterUtc"/> and does not
    /// open inside a freeze of that target (a deferred run must not land in a freeze again); null when none opens within <see cref="Horizon"/>.
    /// </summary>
    public WindowOccurrence? NextWindow(string target, DateTime afterUtc)
    {
        WindowOccurrence? best = null;
        foreach (MaintenanceWindow window in Windows.Where(w => w.Covers(target)))
        {
            DateTime from = afterUtc + TimeSpan.FromTicks(1);
            for (int scanned = 0; scanned < MaxOccurrencesScanned && window.Schedule.NextStart(from) is { } start && start - afterUtc <= Horizon; scanned++)
            {
                if (best is not null && start >= best.StartUtc)
                {
                    break;
                }

                if (FreezesAt(target, start).Count == 0)
                {
                    best = window.OccurrenceAt(start);
                    break;
                }

                from = start + TimeSpan.FromMinutes(1);
            }
        }

        return best;
    }

    /// <summary>
    /// May an automatic (alert-triggered) run on <paramref name="target"/> go ahead now? No freeze: allow. A freeze:
    /// escalate when the alert is critical or no window comes, otherwise defer to the target's next maintenance window.
    /// Planned runs and operators' requests are not automatic and do not ask.
    /// </summary>
    public AutomaticRunDecision Decide(string target, AlertSeverity severity, DateTime nowUtc)
    {
        ArgumentNullException.ThrowIfNull(target);
        IReadOnlyList<(FreezeWindow Freeze, DateTime UntilUtc)> freezes = FreezesAt(target, nowUtc);
        if (freezes.Count == 0)
        {
            return AutomaticRunDecision.Allow;
        }

        (FreezeWindow freeze, DateTime until) = freezes.OrderByDescending(f => f.UntilUtc).First();
        string frozen = string.Create(CultureInfo.InvariantCulture, $"freeze window '{freeze.Name}' covers target '{target}' until {until:yyyy-MM-dd HH:mm} UTC")
            + (freeze.Definition.Reason is { Length: > 0 } why ? $" ({why})" : "");
        if (severity == AlertSeverity.Critical)
        {
            return new AutomaticRunDecision(DecisionKind.Escalate, $"{frozen}; the alert is critical, so it is escalated to a person instead of waiting for a maintenance window") { Freeze = freeze.Name };
        }

        if (NextWindow(target, nowUtc) is not { } next)
        {
            return new AutomaticRunDecision(DecisionKind.Escalate, $"{frozen}, and no maintenance window of that target opens outside a freeze in the next {Horizon.TotalDays:0} days; escalated") { Freeze = freeze.Name };
        }

        return new AutomaticRunDecision(DecisionKind.Defer, string.Create(CultureInfo.InvariantCulture, $"{frozen}; deferred to maintenance window '{next.Window}' opening {next.StartUtc:yyyy-MM-dd HH:mm} UTC"))
        {
            Freeze = freeze.Name,
            Window = next,
        };
    }

    private static MaintenanceWindow Validate(MaintenanceWindowDefinition window, int index, SchedulesOptions options, Inventory.Inventory inventory)
    {
        string what = $"{SchedulesOptions.Section}:MaintenanceWindows:{index}" + (string.IsNullOrEmpty(window.Name) ? "" : $" ('{window.Name}')");
        RequireName(what, window.Name);
        CronSchedule schedule = CronSchedule.Parse(what, window.Cron, window.TimeZone, window.Duration);
        if (ProcedureCatalog.Find(window.Procedure) is null)
        {
            throw new ScheduleException($"{what}: 'procedure' value \"{window.Procedure}\" is not one of {string.Join(", ", ProcedureCatalog.All.Select(p => p.Name))}.");
        }

        if (window.Targets.Count == 0)
        {
            throw new ScheduleException($"{what}: 'targets' is empty; name the inventory targets the window runs on.");
        }

        foreach (string target in window.Targets)
        {
            if (inventory.FindTarget(target) is not { } found)
            {
                throw new ScheduleException($"{what}: target '{target}' is not in the inventory; known: {string.Join(", ", inventory.Targets.Select(t => t.Name))}.");
            }

            if (window.Service is { } service && found.FindService(service) is null)
            {
                throw new ScheduleException($"{what}: service '{service}' is not defined for target '{target}'.");
            }
        }

        if (window.Targets.Distinct(StringComparer.Ordinal).Count() != window.Targets.Count)
        {
            throw new ScheduleException($"{what}: 'targets' names a target twice.");
        }

        if (window.MaxConcurrency < 1 || window.MaxFailures < 0 || window.MaxFailurePercent is < 0 or > 100)
        {
            throw new ScheduleException($"{what}: 'maxConcurrency' must be at least 1, 'maxFailures' at least 0 and 'maxFailurePercent' between 0 and 100.");
        }

        if (window.NoticeLead < TimeSpan.Zero || window.NoticeLead > TimeSpan.FromDays(7))
        {
            throw new ScheduleException($"{what}: 'noticeLead' must be between 0 and 7 days.");
        }

        if (window.NoticeLead > TimeSpan.Zero && options.NoticeWebhookUrl is null)
        {
            throw new ScheduleException($"{what}: the window sends a notice {window.NoticeLead} ahead, but {SchedulesOptions.Section}:NoticeWebhookUrl is not set; set it, or set 'noticeLead' to \"00:00:00\" for no notice.");
        }

        return new MaintenanceWindow(window, schedule);
    }

    private static FreezeWindow Validate(FreezeWindowDefinition freeze, int index, Inventory.Inventory inventory)
    {
        string what = $"{SchedulesOptions.Section}:FreezeWindows:{index}" + (string.IsNullOrEmpty(freeze.Name) ? "" : $" ('{freeze.Name}')");
        RequireName(what, freeze.Name);
        foreach (string target in freeze.Targets.Where(t => inventory.FindTarget(t) is null))
        {
            throw new ScheduleException($"{what}: target '{target}' is not in the inventory.");
        }

        bool recurring = freeze.Cron is not null;
        bool fixedSpan = freeze.From is not null || freeze.Until is not null;
        if (recurring == fixedSpan)
        {
            throw new ScheduleException($"{what}: give either 'cron' with 'duration' (recurring) or 'from' and 'until' (one span), not both and not neither.");
        }

        if (recurring)
        {
            return new FreezeWindow(freeze, CronSchedule.Parse(what, freeze.Cron, freeze.TimeZone, freeze.Duration ?? TimeSpan.Zero));
        }

        if (freeze.From is not { } from || freeze.Until is not { } until || until <= from)
        {
            throw new ScheduleException($"{what}: 'from' and 'until' are both required, with 'until' after 'from'.");
        }

        return new FreezeWindow(freeze, null);
    }

    private static void RequireName(string what, string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 60 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw new ScheduleException($"{what}: 'name' is required: up to 60 letters, digits, '-' or '_' (it is part of instance ids and blob names).");
        }
    }
}
