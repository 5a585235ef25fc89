using Microsoft.DurableTask;
using Remediation.Inventory;
using Remediation.ServiceManagers;
using Remediation.Ssh;

namespace Remediation.Activities.Services;

/// <summary>
/// Runbook §1 "Force Restart", first line: stop the service. Acts only if it is not already stopped. A stop that
/// hangs (a process ignoring SIGTERM) is reported, not fatal: the next step kills what is left.
/// </summary>
public sealed class StopServiceActivity : TaskActivity<StopServiceRequest, ServiceActionResult>
{
    private readonly Inventory.Inventory _inventory;
    private readonly ISshConnector _ssh;
    private readonly ServiceStatusReader _status;
    private readonly TimeProvider _time;
    private readonly EarlierOutageReader _earlier;

    public StopServiceActivity(Inventory.Inventory inventory, ISshConnector ssh, ServiceStatusReader status, TimeProvider time, EarlierOutageReader earlier)
    {
        _earlier = earlier;
        _inventory = inventory;
        _ssh = ssh;
        _status = status;
        _time = time;
    }

    public override async Task<ServiceActionResult> RunAsync(TaskActivityContext context, StopServiceRequest input)
    {
        TargetDefinition target = _inventory.GetTarget(input.Target);
        ServiceDefinition service = target.GetService(input.Service);
        await using ISshSession ssh = await _ssh.ConnectAsync(target, CancellationToken.None);

        IServiceManager manager = _status.ManagerOf(target);
        if (!await HasProcessesAsync(ssh, service, manager))
        {
            ServiceStatus before = await _status.ReadAsync(ssh, target, service, CancellationToken.None);
            if (IsDown(before))
            {
                return await StoppedEarlierAsync(ssh, target, service, input.PidBefore, before) ?? AlreadyDown(service, before);
            }
        }

        CommandResult stop = ServiceManagerException.ThrowIfSudoRefused(
            await ssh.RunAsync(manager.Stop(service.UnitName), TimeSpan.FromSeconds(service.GracefulTimeoutSeconds), CancellationToken.None));
        if (manager.OutcomeOf(service.UnitName, stop) == CommandOutcome.Stopped)
        {
            return new ServiceActionResult(true, $"stopped {service.UnitName} ({stop.Summary()})", true, ServiceStatus.Reported(service.UnitName, ServiceState.Stopped, stop), _time.GetUtcNow().UtcDateTime);
        }

        // Judge by the state, not the exit code: supervisorctl can exit 0 saying "ERROR (not running)" while the
        // program is still STOPPING, and a stop that timed out may still have taken effect.
        ServiceStatus after = await _status.ReadAsync(ssh, target, service, CancellationToken.None);
        if (manager.OutcomeOf(service.UnitName, stop) == CommandOutcome.NotRunning && IsDown(after))
        {
            return AlreadyDown(service, after);
        }

        bool stopped = IsDown(after);
        string summary = stopped
            ? $"stopped {service.UnitName} ({stop.Summary()}); now {after.RawState}"
            : $"stop of {service.UnitName} did not finish ({stop.Summary()}); now {after.RawState}";
        return new ServiceActionResult(true, summary, stopped, after, stopped ? _time.GetUtcNow().UtcDateTime : null);
    }

    /// <summary>
    /// The read before the stop. Where a status read is a Python start-up (supervisor), a <c>pgrep</c> of the service's
    /// processes (tens of milliseconds) answers "is there anything to stop?"; the stop's own output then says what it
    /// did. False sends the caller to the full status read.
    /// </summary>
    private static async Task<bool> HasProcessesAsync(ISshSession ssh, ServiceDefinition service, IServiceManager manager)
    {
        if (!manager.CommandsReportOutcome || service.ProcessPattern is not { } pattern || service.ProcessUser is not { } user)
        {
            return false;
        }

        return (await ProcessCommands.FindAsync(ssh, user, pattern, CancellationToken.None)).Count > 0;
    }

    /// <summary>
    /// Down, though it ran at the pre-checks: the manager's history says when that process was stopped — by an earlier
    /// delivery of this step that was interrupted (a server crash), or on its own — and the outage is the run's.
    /// Null when the history has no such stop, or the process was not known: then nothing is claimed.
    /// </summary>
    private async Task<ServiceActionResult?> StoppedEarlierAsync(ISshSession ssh, TargetDefinition target, ServiceDefinition service, int? pidBefore, ServiceStatus now)
    {
        if (pidBefore is not { } pid)
        {
            return null;
        }

        (DateTime? since, string evidence) = await _earlier.StopOfAsync(ssh, target, service, pid, CancellationToken.None);
        return since is { } down
            ? new ServiceActionResult(true, $"{service.UnitName} is already {now.RawState}: pid {pid}, running at the pre-checks, was stopped at {down:HH:mm:ss.fff} UTC, during this run; not stopping again", true, now, down) { DownEvidence = evidence }
            : null;
    }

    private static ServiceActionResult AlreadyDown(ServiceDefinition service, ServiceStatus status) =>
        new(false, $"{service.UnitName} is already {status.RawState}; nothing to stop", true, status);

    private static bool IsDown(ServiceStatus status) => status.State is ServiceState.Stopped or ServiceState.Failed;
}
