namespace Remediation.Probes;

/// <summary>
/// An Odoo scheduled action that is due by Odoo's own rule (runbook: "Check running jobs/cron tasks"): active, calls
/// left where the schema counts them, and its next call passed or one of its triggers due.
/// </summary>
/// <param name="Id">ir_cron.id.</param>
/// <param name="Name">cron_name (en_US when jsonb), else the server action's name.</param>
/// <param name="NextCall">ir_cron.nextcall, naive UTC as Odoo stores it.</param>
/// <param name="DueByTrigger">True when an ir_cron_trigger row is due, whatever nextcall says.</param>
public sealed record DueCron(int Id, string Name, DateTime NextCall, bool DueByTrigger)
{
    /// <summary>One evidence line: "due cron: Mail: Email Queue Manager (id 3, nextcall 2026-12-01 10:00:00 UTC)".</summary>
    public string Describe() =>
        $"due cron: {Name} (id {Id}, nextcall {NextCall:yyyy-MM-dd HH:mm:ss} UTC{(DueByTrigger ? ", triggered" : "")})";
}
