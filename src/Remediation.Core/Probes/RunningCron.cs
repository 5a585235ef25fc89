namespace Remediation.Probes;

/// <summary>
/// A scheduled action Odoo's cron worker is running right now: a backend whose transaction holds the job's
/// <c>FOR NO KEY UPDATE SKIP LOCKED</c> row lock, seen in pg_stat_activity (without touching the lock).
/// </summary>
/// <param name="Id">ir_cron.id, read from the acquire query's text.</param>
/// <param name="Name">cron_name (en_US when jsonb), else the server action's name.</param>
/// <param name="Pid">The cron worker's backend process id.</param>
/// <param name="State">pg_stat_activity.state: "idle in transaction" while the job runs, "active" while it acquires.</param>
/// <param name="TransactionStart">pg_stat_activity.xact_start: when the worker's transaction (and the lock) began.</param>
public sealed record RunningCron(int Id, string Name, int Pid, string State, DateTime? TransactionStart)
{
    /// <summary>One evidence line: "running cron: Mail: Email Queue Manager (id 3, backend 4242, idle in transaction since …)".</summary>
    public string Describe() =>
        $"running cron: {Name} (id {Id}, backend pid {Pid}, {State}{(TransactionStart is { } start ? $" since {start:yyyy-MM-dd HH:mm:ss} UTC" : "")})";
}
