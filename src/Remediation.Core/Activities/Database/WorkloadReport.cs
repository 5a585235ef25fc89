using Remediation.Probes;

namespace Remediation.Activities.Database;

/// <summary>The runbook's "Check active users" and "Check running jobs/cron tasks", read before a restart.</summary>
public sealed record WorkloadReport(bool Applicable, string Summary)
{
    /// <summary>People connected and recent logins in the last 5 minutes (the login-check account left out).</summary>
    public ActiveUsers Users { get; init; } = ActiveUsers.None;

    /// <summary>Scheduled actions due by Odoo's rule.</summary>
    public IReadOnlyList<DueCron> DueCrons { get; init; } = [];

    /// <summary>Scheduled actions Odoo's cron worker is running right now (it holds their row lock).</summary>
    public IReadOnlyList<RunningCron> RunningCrons { get; init; } = [];

    /// <summary>One line per fact: the schema found, the counts, each due and running cron with its name and id.</summary>
    public IReadOnlyList<string> Evidence { get; init; } = [];

    /// <summary>Set when the check could not run and the restart was forced past it.</summary>
    public string? Unchecked { get; init; }

    public static WorkloadReport Unknown(string why) =>
        new(false, $"active users and due crons NOT checked: {why}") { Unchecked = why, Evidence = [$"not checked: {why}"] };

    /// <summary>Reasons not to restart now, in the runbook's words; empty when nothing blocks.</summary>
    public IReadOnlyList<string> Blockers()
    {
        var blockers = new List<string>();
        if (Users.Total > 0)
        {
            blockers.Add($"{Users.Total} active user(s) in the last 5 minutes ({Users.Describe()})");
        }

        if (RunningCrons.Count > 0)
        {
            blockers.Add($"{RunningCrons.Count} cron job(s) running now: {string.Join(", ", RunningCrons.Select(c => $"{c.Name} (id {c.Id})"))}");
        }

        // A running job is usually still due (its nextcall moves when it finishes): name it once, as running.
        DueCron[] due = [.. DueCrons.Where(d => RunningCrons.All(r => r.Id != d.Id))];
        if (due.Length > 0)
        {
            blockers.Add($"{due.Length} cron job(s) due: {string.Join(", ", due.Select(c => $"{c.Name} (id {c.Id})"))}");
        }

        return blockers;
    }
}
