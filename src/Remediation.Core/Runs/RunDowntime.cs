using System.Globalization;

namespace Remediation.Runs;

/// <summary>A run's downtime: the time during which at least one service was not answering (the union of the services' outages).</summary>
public static class RunDowntime
{
    public static (double? Seconds, string Method) Of(IReadOnlyList<ServiceChange> changes, string? nothingChangedNote = null)
    {
        ArgumentNullException.ThrowIfNull(changes);
        List<ServiceChange> changed = [.. changes.Where(c => c.Action != ServiceAction.None || c.DowntimeSeconds is not null)];
        if (changed.Count == 0)
        {
            return (null, nothingChangedNote ?? "nothing was changed");
        }

        List<ServiceChange> unmeasured = [.. changed.Where(c => c.DowntimeSeconds is null)];
        if (unmeasured.Count > 0)
        {
            return (null, string.Join("; ", unmeasured.Select(c => $"{c.Service}: {c.DowntimeMethod}")));
        }

        var outages = changed.Where(c => c.DownFromUtc is not null && c.DownUntilUtc is not null)
            .Select(c => (From: c.DownFromUtc!.Value, Until: c.DownUntilUtc!.Value))
            .OrderBy(o => o.From)
            .ToList();
        double total = 0;
        DateTime? from = null;
        DateTime until = default;
        foreach ((DateTime start, DateTime end) in outages)
        {
            if (from is null || start > until)
            {
                total += from is null ? 0 : (until - from.Value).TotalSeconds;
                (from, until) = (start, end);
            }
            else if (end > until)
            {
                until = end;
            }
        }

        total += from is null ? 0 : (until - from.Value).TotalSeconds;
        string method = changed.Count == 1
            ? changed[0].DowntimeMethod
            : "union of the services' outages, each measured by polling its readiness probe: "
              + string.Join(", ", changed.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Service} {c.DowntimeSeconds:0.000} s")));
        return (Math.Round(total, 3), method);
    }
}
