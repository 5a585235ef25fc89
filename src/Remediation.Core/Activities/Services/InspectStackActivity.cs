using Microsoft.DurableTask;
using Remediation.Activities.Logs;
using Remediation.Inventory;
using Remediation.Probes;
using Remediation.Ssh;

namespace Remediation.Activities.Services;

/// <summary>Pre-restart check over one SSH session: status of every service on the target, and the log lengths to scan from later.</summary>
public sealed class InspectStackActivity : TaskActivity<ServiceRef, StackInspection>
{
    private readonly Inventory.Inventory _inventory;
    private readonly ISshConnector _ssh;
    private readonly ServiceStatusReader _status;
    private readonly LogScanner _logs;

    public InspectStackActivity(Inventory.Inventory inventory, ISshConnector ssh, ServiceStatusReader status, LogScanner logs)
    {
        _inventory = inventory;
        _ssh = ssh;
        _status = status;
        _logs = logs;
    }

    public override async Task<StackInspection> RunAsync(TaskActivityContext context, ServiceRef input)
    {
        TargetDefinition target = _inventory.GetTarget(input.Target);
        ServiceDefinition service = target.GetService(input.Service);
        await using ISshSession ssh = await _ssh.ConnectAsync(target, CancellationToken.None);

        Task<IReadOnlyList<ServiceStatusReport>> statuses = _status.ReadAllAsync(ssh, target, CancellationToken.None);
        Task<LogPosition[]> positions = Task.WhenAll(service.LogFiles.Select(async path =>
            new LogPosition(path, await _logs.MeasureAsync(ssh, path, CancellationToken.None))));
        return new StackInspection(await statuses, await positions);
    }
}
