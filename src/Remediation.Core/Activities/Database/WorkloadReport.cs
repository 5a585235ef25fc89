using Remediation.Probes;

namespace Remediation.Activities.Database;

/// <summary>The runbook's "Check active users" and "Check running jobs/cron tasks", read before a restart.</summary>
public sealed record WorkloadReport(bool Applicable, int ActiveUsers, IReadOnlyList<DueCron> DueCrons, string Summary)
{
    /// <summary>Set when the check could not run and the restart was forced past it.</summary>
    public string? Unchecked { get; init; }

    /// <summary>One line per fact behind <see cref="Summary"/>, for the run's record.</summary>
    public IReadOnlyList<string> Evidence => [.. DueCrons.Select(c => $"due cron: {c.Name} ({c.State})")];

    public static WorkloadReport Unknown(string why) =>
        new(false, 0, [], $"active users and due crons NOT checked: {why}") { Unchecked = why };

    /// <summary>Reasons not to restart now, in the runbook's words; empty when nothing blocks.</summary>
    public IReadOnlyList<string> Blockers()
    {
        var blockers = new List<string>();
        if (ActiveUsers > 0)
        {
            blockers.Add($"{ActiveUsers} active user(s) in the last 5 minutes");
        }

        if (DueCrons.Count > 0)
        {
            blockers.Add($"{DueCrons.Count} cron job(s) due or running: {string.Join(", ", DueCrons.Select(c => c.Name))}");
        }

        return blockers;
    }
}
