using Microsoft.DurableTask;
using Remediation.Activities.Services;
using Remediation.Inventory;
using Remediation.ServiceManagers;
using Remediation.Ssh;

namespace Remediation.Activities.Nginx;

/// <summary>
/// Runbook §3 "reload (zero downtime)": signals the running master to re-read its configuration, watches readiness
/// throughout, and confirms the reload took effect — the master PID unchanged, its workers replaced. A reload is
/// harmless to repeat, so a re-delivered step may send it again; it never restarts anything.
/// </summary>
public sealed class ReloadServiceActivity : TaskActivity<ServiceRef, RestartAttempt>
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan WorkersDeadline = TimeSpan.FromSeconds(10);
    private readonly Inventory.Inventory _inventory;
    private readonly ISshConnector _ssh;
    private readonly ServiceStatusReader _status;
    private readonly ServiceReadiness _readiness;
    private readonly TimeProvider _time;

    public ReloadServiceActivity(Inventory.Inventory inventory, ISshConnector ssh, ServiceStatusReader status, ServiceReadiness readiness, TimeProvider time)
    {
        _inventory = inventory;
        _ssh = ssh;
        _status = status;
        _readiness = readiness;
        _time = time;
    }

    public override async Task<RestartAttempt> RunAsync(TaskActivityContext context, ServiceRef input)
    {
        TargetDefinition target = _inventory.GetTarget(input.Target);
        ServiceDefinition service = target.GetService(input.Service);
        if (!service.CanReload)
        {
            throw new InvalidOperationException($"{service.Name} on {target.Name} cannot reload (canReload is false in the inventory); ask for mode \"restart\".");
        }

        await using ISshSession ssh = await _ssh.ConnectAsync(target, CancellationToken.None);
        ServiceStatus before = await _status.ReadAsync(ssh, target, service, CancellationToken.None);
        if (!before.IsRunning)
        {
            return new RestartAttempt
            {
                Action = "none",
                Summary = $"{service.UnitName} is {before.RawState}: there is no running master to reload; nothing was changed",
                Before = before,
                After = before,
                CommandSucceeded = false,
            };
        }

        IReadOnlyList<int> workersBefore = await WorkersAsync(ssh, service);
        Task<CommandResult> reloading = ssh.RunAsync(_status.ManagerOf(target).Reload(service.UnitName), CommandTimeout, CancellationToken.None);
        ReadinessOutcome watched = await _readiness.WaitAsync(ssh, target, service, reloading, known: null, CancellationToken.None);
        CommandResult result = ServiceManagerException.ThrowIfSudoRefused(await reloading);

        IReadOnlyList<int> workersAfter = workersBefore;
        DateTime giveUp = _time.GetUtcNow().UtcDateTime + WorkersDeadline;
        while (result.Succeeded && workersBefore.Count > 0 && workersAfter.Intersect(workersBefore).Any() && _time.GetUtcNow().UtcDateTime < giveUp)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), _time);
            workersAfter = await WorkersAsync(ssh, service);
        }

        bool sameMaster = watched.Status.MainPid == before.MainPid;
        bool workersReplaced = workersBefore.Count == 0 || !workersAfter.Intersect(workersBefore).Any();
        string workers = workersBefore.Count == 0
            ? "worker processes not checked (no processUser/processPattern)"
            : $"workers {string.Join(",", workersBefore)} -> {string.Join(",", workersAfter)}";
        string summary = !result.Succeeded ? $"reload of {service.UnitName} failed: {result.Summary()}"
            : !sameMaster ? $"reload of {service.UnitName}: the master PID changed ({before.MainPid} -> {watched.Status.MainPid}): it restarted instead of reloading"
            : !workersReplaced ? $"reload of {service.UnitName} sent, but the old workers are still there after {WorkersDeadline.TotalSeconds:0} s ({workers}): the new configuration may not be in use"
            : $"reloaded {service.UnitName}: master pid {before.MainPid} kept, {workers}";
        return new RestartAttempt
        {
            Action = "reload",
            Changed = true,
            Summary = summary,
            CommandSummary = result.Summary(),
            CommandSucceeded = result.Succeeded && sameMaster && workersReplaced,
            CommandTimedOut = result.TimedOut,
            Before = before,
            After = watched.Status,
            Readiness = watched.Timeline,
            Ready = watched.Ready && result.Succeeded && sameMaster && workersReplaced,
        };
    }

    private static async Task<IReadOnlyList<int>> WorkersAsync(ISshSession ssh, ServiceDefinition service)
    {
        if (service.ProcessUser is not { } user || service.ProcessPattern is not { } pattern)
        {
            return [];
        }

        CommandResult found = await ssh.RunAsync(ProcessCommands.FindLeftovers(user, pattern), CommandTimeout, CancellationToken.None);
        return [.. ProcessCommands.ParseLeftovers(found).Select(p => p.Pid).Order()];
    }
}
