using Microsoft.DurableTask;
using Remediation.Inventory;
using Remediation.Probes;

namespace Remediation.Activities.Database;

/// <summary>Pre-restart check on the Odoo database: active users in the last 5 minutes (res_users_log) and due crons (ir_cron).</summary>
public sealed class CheckWorkloadActivity : TaskActivity<ServiceRef, WorkloadReport>
{
    /// <summary>The runbook's window: "create_date > now() - interval '5 minutes'".</summary>
    public static readonly TimeSpan ActiveUserWindow = TimeSpan.FromMinutes(5);

    private readonly Inventory.Inventory _inventory;
    private readonly OdooDatabase _database;

    public CheckWorkloadActivity(Inventory.Inventory inventory, OdooDatabase database)
    {
        _inventory = inventory;
        _database = database;
    }

    public override async Task<WorkloadReport> RunAsync(TaskActivityContext context, ServiceRef input)
    {
        TargetDefinition target = _inventory.GetTarget(input.Target);
        ServiceDefinition service = target.GetService(input.Service);
        if (service.Kind != ServiceKind.Odoo || target.Database is not { } db)
        {
            return new WorkloadReport(false, 0, [], $"not applicable: {service.Name} is not an Odoo service with a database in the inventory");
        }

        int users = await _database.CountActiveUsersAsync(db, ActiveUserWindow, CancellationToken.None);
        IReadOnlyList<DueCron> crons = await _database.ListDueCronsAsync(db, CancellationToken.None);
        return new WorkloadReport(true, users, crons, $"{users} active user(s) in the last 5 minutes, {crons.Count} due cron job(s)");
    }
}
