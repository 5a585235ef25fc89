using Microsoft.DurableTask;
using Remediation.Inventory;
using Remediation.Probes;
using Remediation.ServiceManagers;
using Remediation.Ssh;

namespace Remediation.Activities.Services;

/// <summary>Runbook §1 "Force Restart": start the service — only if it is not already running or starting.</summary>
public sealed class StartServiceActivity : TaskActivity<ServiceRef, ServiceActionResult>
{
    private readonly Inventory.Inventory _inventory;
    private readonly ISshConnector _ssh;
    private readonly ServiceStatusReader _status;
    private readonly LogScanner _logs;

    public StartServiceActivity(Inventory.Inventory inventory, ISshConnector ssh, ServiceStatusReader status, LogScanner logs)
    {
        _logs = logs;
        _inventory = inventory;
        _ssh = ssh;
        _status = status;
    }

    public override async Task<ServiceActionResult> RunAsync(TaskActivityContext context, ServiceRef input)
    {
        TargetDefinition target = _inventory.GetTarget(input.Target);
        ServiceDefinition service = target.GetService(input.Service);
        await using ISshSession ssh = await _ssh.ConnectAsync(target, CancellationToken.None);

        IServiceManager manager = _status.ManagerOf(target);
        if (!manager.CommandsReportOutcome)
        {
            ServiceStatus before = await _status.ReadAsync(ssh, target, service, CancellationToken.None);
            if (before.State is ServiceState.Running or ServiceState.Starting)
            {
                return new ServiceActionResult(false, $"{service.UnitName} is already {before.RawState}; not starting it again", true, before);
            }
        }

        // Under supervisor the start itself is the read-before-act: a program already running is left alone
        // ("ERROR (already started)"), so a re-delivered start changes nothing and no status read is spent on it.
        CommandResult start = ServiceManagerException.ThrowIfSudoRefused(
            await ssh.RunAsync(manager.Start(service.UnitName), TimeSpan.FromSeconds(service.ReadinessTimeoutSeconds), CancellationToken.None));
        switch (manager.OutcomeOf(service.UnitName, start))
        {
            case CommandOutcome.Started:
                return new ServiceActionResult(true, $"started {service.UnitName} ({start.Summary()})", true, ServiceStatus.Reported(service.UnitName, ServiceState.Running, start));
            case CommandOutcome.AlreadyStarted:
                return new ServiceActionResult(false, $"{service.UnitName} was already running ({start.Summary()}); not started again", true, ServiceStatus.Reported(service.UnitName, ServiceState.Running, start));
        }

        ServiceStatus after = await _status.ReadAsync(ssh, target, service, CancellationToken.None);
        bool started = after.State is ServiceState.Running or ServiceState.Starting;
        string summary = !started ? $"start of {service.UnitName} failed ({start.Summary()}); now {after.RawState}"
            : start.Succeeded ? $"started {service.UnitName} ({start.Summary()}); now {after.RawState}"
            : $"start of {service.UnitName} reported an error ({start.Summary()}), and its manager is still trying (now {after.RawState})";
        return started
            ? new ServiceActionResult(true, summary, true, after)
            : new ServiceActionResult(true, summary, false, after) { ServiceLog = await _logs.QuoteLastLinesAsync(ssh, service.LogFiles, CancellationToken.None) };
    }
}
