using Microsoft.DurableTask;
using Remediation.Inventory;
using Remediation.Probes;

namespace Remediation.Activities.Database;

/// <summary>
/// Pre-restart check on the Odoo database: people connected and recent logins in the last 5 minutes, cron jobs due
/// by Odoo's rule and cron jobs running right now. The queries follow the columns found; a schema without what
/// they need fails the check (closed) with the missing columns named.
/// </summary>
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
        ArgumentNullException.ThrowIfNull(input);
        TargetDefinition target = _inventory.GetTarget(input.Target);
        ServiceDefinition service = target.GetService(input.Service);
        if (service.Kind != ServiceKind.Odoo || target.Database is not { } db)
        {
            return new WorkloadReport(false, $"not applicable: {service.Name} is not an Odoo service with a database in the inventory");
        }

        return await CheckAsync(_database, db, service.LoginCheck, CancellationToken.None);
    }

    /// <summary>The check itself, for one database; the login check's account is left out of the user counts.</summary>
    public static async Task<WorkloadReport> CheckAsync(OdooDatabase database, DatabaseEndpoint db, LoginCheckDefinition? loginCheck, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(db);
        OdooSchema schema = await database.ReadSchemaAsync(db, cancellationToken);

        // The login check signs in to its own database when it names one; only there are its logins recorded.
        string? excluded = loginCheck is not null && (loginCheck.Database is null || loginCheck.Database == db.Name) ? loginCheck.Login : null;
        IReadOnlyList<string> missing = schema.Missing(excluded is not null);
        if (missing.Count > 0)
        {
            throw new OdooSchemaException(
                $"database {db.Name} on {db.Host}:{db.Port} does not have the Odoo tables the pre-checks read: missing {string.Join(", ", missing)} (found {schema.Describe()})");
        }

        ActiveUsers users = await database.CountActiveUsersAsync(db, schema, ActiveUserWindow, excluded, cancellationToken);
        IReadOnlyList<DueCron> due = await database.ListDueCronsAsync(db, schema, cancellationToken);
        IReadOnlyList<RunningCron> running = await database.ListRunningCronsAsync(db, schema, cancellationToken);

        string exclusion = excluded is null ? "" : $"; login-check account '{excluded}' not counted";
        return new WorkloadReport(true, $"{users.Total} active user(s) in the last 5 minutes ({users.Describe()}), {due.Count} due cron job(s), {running.Count} running now")
        {
            Users = users,
            DueCrons = due,
            RunningCrons = running,
            Evidence =
            [
                $"schema: {schema.Describe()}",
                $"active users: {users.Total} in the last 5 minutes ({users.Describe()}){exclusion}",
                .. running.Select(r => r.Describe()),
                .. due.Select(d => d.Describe()),
            ],
        };
    }
}
