using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Remediation.Intake;
using Remediation.Intake.Alerts;
using Remediation.Schedules;
using Remediation.Schedules.Deferrals;
using Remediation.Intake.Budget;
using Remediation.Intake.Escalations;
using Remediation.Tests.Intake.Escalations;
using Remediation.Notifications;
using Remediation.Runs;
using Remediation.Tests.Procedures;

namespace Remediation.Tests.Intake.Alerts;

/// <summary>
/// The real alert intake (parsers, router, <see cref="RemediationIntake"/> with lock and budget) over the in-memory
/// Durable Task host and a <see cref="SimulatedTarget"/>, with the rules a test gives.
/// </summary>
internal sealed class AlertHarness : IAsyncDisposable
{
    private AlertHarness(SimulatedTarget target, ProcedureHost host, AlertIntake intake, InMemoryRestartBudgetStore budget, InMemoryAlertReceipts receipts)
    {
        Target = target;
        Host = host;
        Intake = intake;
        Budget = budget;
        Receipts = receipts;
    }

    public SimulatedTarget Target { get; }
    public ProcedureHost Host { get; }
    public AlertIntake Intake { get; }
    public InMemoryRestartBudgetStore Budget { get; }
    public InMemoryAlertReceipts Receipts { get; }
    public DurableTaskClient Client => Host.Client;

    /// <summary>The rules every test starts from: one per sample payload, by the alert's own identity.</summary>
    public static IReadOnlyList<AlertRoutingRule> SampleRules(int holdSeconds = 0)
    {
        AlertRoutingRule odooDown = new() { Name = "odoo-down", Source = AlertSource.Alertmanager, AlertRule = "OdooDown", TargetLabel = "target", Procedure = "restart-service", Service = "odoo", ActOnlyIfFiringForSeconds = holdSeconds };
        AlertRoutingRule nginxDown = new() { Name = "nginx-down", Source = AlertSource.Alertmanager, AlertRule = "NginxDown", TargetLabel = "target", Procedure = "reload-nginx", Mode = "restart" };
        AlertRoutingRule grafanaPg = new() { Name = "grafana-postgresql", Source = AlertSource.Grafana, TargetLabel = "target", Procedure = "restart-postgresql" };
        grafanaPg.Labels["alertname"] = "PostgresqlDown";
        AlertRoutingRule azureMetric = new() { Name = "azure-odoo-5xx", Source = AlertSource.AzureMonitor, AlertRule = "odoo-http-5xx", Target = "demo", Procedure = "restart-service", Service = "odoo", ActOnlyIfFiringForSeconds = holdSeconds };
        azureMetric.CustomProperties["service"] = "odoo";
        AlertRoutingRule azureLog = new() { Name = "azure-pg-refused", Source = AlertSource.AzureMonitor, AlertRule = "postgresql-connection-refused", TargetLabel = "Computer", Procedure = "restart-postgresql" };
        AlertRoutingRule azureLegacy = new() { Name = "azure-nginx-502", Source = AlertSource.AzureMonitor, AlertRule = "nginx-502-burst", Target = "demo", Procedure = "reload-nginx" };
        AlertRoutingRule azureActivity = new() { Name = "azure-vm", Source = AlertSource.AzureMonitor, ResourceId = "/subscriptions/11111111-2222-3333-4444-555555555555/resourcegroups/odoo-rg/providers/microsoft.compute/virtualmachines/demo", Target = "demo", Procedure = "restart-stack" };
        return [odooDown, nginxDown, grafanaPg, azureMetric, azureLog, azureLegacy, azureActivity];
    }

    public static async Task<AlertHarness> StartAsync(
        IEnumerable<AlertRoutingRule>? rules = null, RestartBudgetOptions? budget = null, NotificationOptions? notifications = null, SimulatedTarget? target = null,
        SchedulesOptions? schedules = null, TimeProvider? escalationClock = null)
    {
        target ??= new SimulatedTarget();
        var options = new AlertOptions();
        foreach (AlertRoutingRule rule in rules ?? SampleRules())
        {
            options.Rules.Add(rule);
        }

        ProcedureHost host = await ProcedureHost.StartAsync(target, moreServices: services =>
        {
            if (notifications is not null)
            {
                services.AddSingleton(Options.Create(notifications));
            }
        });
        var store = new InMemoryRestartBudgetStore();
        var receipts = new InMemoryAlertReceipts();
        var remediation = new RemediationIntake(
            host.Client, target.Inventory, TimeProvider.System, NullLogger<RemediationIntake>.Instance, host.Artifacts, host.Locks,
            new RestartBudget(store, Options.Create(budget ?? new RestartBudgetOptions()), TimeProvider.System), approvals: null,
            new EscalationRepeats(new InMemoryEscalationLog(), Options.Create(new EscalationOptions()), escalationClock ?? TimeProvider.System));
        var intake = new AlertIntake(
            [new AzureMonitorParser(), new AlertmanagerParser(), new GrafanaParser()], new AlertRouter(Options.Create(options)), remediation,
            new FreezeWindowAlertPolicy(new AutomaticRunGate(
                new MaintenanceCalendar(schedules ?? new SchedulesOptions(), target.Inventory), host.Deferred, TimeProvider.System, NullLogger<AutomaticRunGate>.Instance)),
            host.Locks, host.Client, receipts, TimeProvider.System, NullLogger<AlertIntake>.Instance);
        return new AlertHarness(target, host, intake, store, receipts);
    }

    public Task<AlertIntakeResult> PostAsync(string source, string payload) => Intake.ReceiveAsync(source, payload, CancellationToken.None);

    /// <summary>Waits for a run to end and returns its record (null when it failed).</summary>
    public async Task<(OrchestrationMetadata Run, RunRecord? Record)> CompletionAsync(string id)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        OrchestrationMetadata run = await Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);
        return (run, run.RuntimeStatus == OrchestrationRuntimeStatus.Completed ? run.ReadOutputAs<RunRecord>() : null);
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Target.DisposeAsync();
    }
}
