using Microsoft.DurableTask;
using Remediation.Inventory;
using Remediation.Probes;

namespace Remediation.Activities.Postgresql;

/// <summary>Runbook §2 "Verify PostgreSQL is accepting connections": <c>SELECT version()</c>. A refused connection fails the step with PostgreSQL's own words.</summary>
public sealed class SelectPostgresqlVersionActivity : TaskActivity<TargetRef, string>
{
    private readonly Inventory.Inventory _inventory;
    private readonly OdooDatabase _database;

    public SelectPostgresqlVersionActivity(Inventory.Inventory inventory, OdooDatabase database)
    {
        _inventory = inventory;
        _database = database;
    }

    public override async Task<string> RunAsync(TaskActivityContext context, TargetRef input)
    {
        TargetDefinition target = _inventory.GetTarget(input.Target);
        DatabaseEndpoint db = target.Database
            ?? throw new InvalidOperationException($"Target {target.Name} has no database in the inventory: SELECT version() cannot be run.");
        return await _database.SelectVersionAsync(db, CancellationToken.None);
    }
}
