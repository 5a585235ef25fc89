using Microsoft.DurableTask;
using Remediation.Inventory;
using Remediation.Probes;

namespace Remediation.Activities.Postgresql;

/// <summary>Runbook §2 "Pre-Restart Checks": active connections by state and long-running queries, from pg_stat_activity (role pg_monitor).</summary>
public sealed class CheckPostgresqlActivity : TaskActivity<PostgresqlCheckRequest, PostgresqlActivityReport>
{
    private readonly Inventory.Inventory _inventory;
    private readonly OdooDatabase _database;

    public CheckPostgresqlActivity(Inventory.Inventory inventory, OdooDatabase database)
    {
        _inventory = inventory;
        _database = database;
    }

    public override async Task<PostgresqlActivityReport> RunAsync(TaskActivityContext context, PostgresqlCheckRequest input)
    {
        TargetDefinition target = _inventory.GetTarget(input.Target);
        DatabaseEndpoint db = target.Database
            ?? throw new InvalidOperationException($"Target {target.Name} has no database in the inventory: its connections and long-running queries cannot be checked.");
        Task<IReadOnlyList<ConnectionStateCount>> connections = _database.CountConnectionsByStateAsync(db, CancellationToken.None);
        Task<IReadOnlyList<LongRunningQuery>> queries = _database.ListLongRunningQueriesAsync(db, TimeSpan.FromSeconds(input.LongQueryThresholdSeconds), CancellationToken.None);
        return new PostgresqlActivityReport(await connections, await queries, input.LongQueryThresholdSeconds);
    }
}
