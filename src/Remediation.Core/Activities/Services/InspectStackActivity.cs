using Microsoft.DurableTask;
using Remediation.Activities.Logs;
using Remediation.Inventory;
using Remediation.Probes;
using Remediation.ServiceManagers;
using Remediation.Ssh;

namespace Remediation.Activities.Services;

/// <summary>
/// Pre-restart check over one SSH session: status of every service on the target, how long every service's logs are
/// (verification scans from there), and on systemd the stop settings of every Odoo unit against Odoo's limit_time_real.
/// </summary>
public sealed class InspectStackActivity : TaskActivity<TargetRef, StackInspection>
{
    private readonly Inventory.Inventory _inventory;
    private readonly ISshConnector _ssh;
    private readonly ServiceStatusReader _status;
    private readonly LogScanner _logs;
    private readonly TimeProvider _time;

    public InspectStackActivity(Inventory.Inventory inventory, ISshConnector ssh, ServiceStatusReader status, LogScanner logs, TimeProvider time)
    {
        _time = time;
        _inventory = inventory;
        _ssh = ssh;
        _status = status;
        _logs = logs;
    }

    public override async Task<StackInspection> RunAsync(TaskActivityContext context, TargetRef input)
    {
        TargetDefinition target = _inventory.GetTarget(input.Target);
        await using ISshSession ssh = await _ssh.ConnectAsync(target, CancellationToken.None);

        Task<IReadOnlyList<ServiceStatusReport>> statuses = _status.ReadAllAsync(ssh, target, CancellationToken.None);
        Task<LogPosition[]> positions = Task.WhenAll(target.Services.SelectMany(s => s.LogFiles).Distinct(StringComparer.Ordinal).Select(async path =>
            new LogPosition(path, await _logs.MeasureAsync(ssh, path, CancellationToken.None))));
        Task<OdooUnitPreflight[]> preflights = target.ServiceManager == ServiceManagerKind.Systemd
            ? Task.WhenAll(target.Services.Where(s => s.Kind == ServiceKind.Odoo).Select(s => PreflightAsync(ssh, s)))
            : Task.FromResult(Array.Empty<OdooUnitPreflight>());
        return new StackInspection(await statuses, await positions)
        {
            ReadAtUtc = _time.GetUtcNow().UtcDateTime,
            OdooUnits = await preflights,
            Services = [.. DependencyGraph.StartOrder(target).Select(s => new StackService(s.Name, s.Kind, s.DependsOn))],
        };
    }

    private static async Task<OdooUnitPreflight> PreflightAsync(ISshSession ssh, ServiceDefinition service)
    {
        string config = service.ConfigFiles.FirstOrDefault(f => f.EndsWith(".conf", StringComparison.Ordinal)) ?? OdooUnitPreflightCheck.DefaultConfigFile;
        Task<CommandResult> show = ssh.RunAsync(OdooUnitPreflightCheck.Show(service.UnitName), PreflightTimeout, CancellationToken.None);
        Task<CommandResult> limit = ssh.RunAsync(OdooUnitPreflightCheck.ReadLimitTimeReal(config), PreflightTimeout, CancellationToken.None);
        return OdooUnitPreflightCheck.Judge(service.Name, service.UnitName, await show, await limit, config);
    }

    private static readonly TimeSpan PreflightTimeout = TimeSpan.FromSeconds(15);
}
