using Microsoft.DurableTask;
using Remediation.Inventory;
using Remediation.ServiceManagers;
using Remediation.Ssh;

namespace Remediation.Activities.Services;

/// <summary>
/// Runbook §1 "Force Restart", first line: stop the service. Acts only if it is not already stopped. A stop that
/// hangs (a process ignoring SIGTERM) is reported, not fatal: the next step kills what is left.
/// </summary>
public sealed class StopServiceActivity : TaskActivity<ServiceRef, ServiceActionResult>
{
    private readonly Inventory.Inventory _inventory;
    private readonly ISshConnector _ssh;
    private readonly ServiceStatusReader _status;
    private readonly TimeProvider _time;

    public StopServiceActivity(Inventory.Inventory inventory, ISshConnector ssh, ServiceStatusReader status, TimeProvider time)
    {
        _inventory = inventory;
        _ssh = ssh;
        _status = status;
        _time = time;
    }

    public override async Task<ServiceActionResult> RunAsync(TaskActivityContext context, ServiceRef input)
    {
        TargetDefinition target = _inventory.GetTarget(input.Target);
        ServiceDefinition service = target.GetService(input.Service);
        await using ISshSession ssh = await _ssh.ConnectAsync(target, CancellationToken.None);

        ServiceStatus before = await _status.ReadAsync(ssh, target, service, CancellationToken.None);
        if (IsDown(before))
        {
            // Down before this step: when its outage began is unknown here, so none is claimed.
            return new ServiceActionResult(false, $"{service.UnitName} is already {before.RawState}; nothing to stop", true, before);
        }

        CommandResult stop = await ssh.RunAsync(_status.ManagerOf(target).Stop(service.UnitName), TimeSpan.FromSeconds(service.GracefulTimeoutSeconds), CancellationToken.None);
        ServiceStatus after = await _status.ReadAsync(ssh, target, service, CancellationToken.None);

        // Judge by the state, not the exit code: supervisorctl can exit 0 saying "ERROR (not running)" while the
        // program is still STOPPING, and a stop that timed out may still have taken effect.
        bool stopped = IsDown(after);
        string summary = stopped
            ? $"stopped {service.UnitName} ({stop.Summary()}); now {after.RawState}"
            : $"stop of {service.UnitName} did not finish ({stop.Summary()}); now {after.RawState}";
        return new ServiceActionResult(true, summary, stopped, after, stopped ? _time.GetUtcNow().UtcDateTime : null);
    }

    private static bool IsDown(ServiceStatus status) => status.State is ServiceState.Stopped or ServiceState.Failed;
}
