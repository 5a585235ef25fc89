using Microsoft.DurableTask;
using Remediation.Inventory;
using Remediation.ServiceManagers;
using Remediation.Ssh;

namespace Remediation.Activities.Services;

/// <summary>Waits, with short polls and an overall deadline instead of a fixed sleep, until a service is ready.</summary>
public sealed class WaitForReadinessActivity : TaskActivity<ReadinessWait, ReadinessOutcome>
{
    private readonly Inventory.Inventory _inventory;
    private readonly ISshConnector _ssh;
    private readonly ServiceReadiness _readiness;
    private readonly ServiceStatusReader _status;

    public WaitForReadinessActivity(Inventory.Inventory inventory, ISshConnector ssh, ServiceReadiness readiness, ServiceStatusReader status)
    {
        _status = status;
        _inventory = inventory;
        _ssh = ssh;
        _readiness = readiness;
    }

    public override async Task<ReadinessOutcome> RunAsync(TaskActivityContext context, ReadinessWait input)
    {
        TargetDefinition target = _inventory.GetTarget(input.Target);
        ServiceDefinition service = target.GetService(input.Service);
        await using ISshSession ssh = await _ssh.ConnectAsync(target, CancellationToken.None);
        ServiceStatus? known = input.StartReported is { IsRunning: true } reported && _status.ManagerOf(target).CommandsReportOutcome ? reported : null;
        return await _readiness.WaitAsync(ssh, target, service, during: null, known, CancellationToken.None);
    }
}
