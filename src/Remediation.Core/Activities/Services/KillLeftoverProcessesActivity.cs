using Microsoft.DurableTask;
using Remediation.Inventory;
using Remediation.ServiceManagers;
using Remediation.Ssh;

namespace Remediation.Activities.Services;

/// <summary>
/// Runbook §1 "Force Restart": verify all processes stopped, and kill hanging ones (<c>pkill -9 -f odoo-bin</c>),
/// limited to the service's own user. Kills only when something is found.
/// </summary>
public sealed class KillLeftoverProcessesActivity : TaskActivity<ServiceRef, LeftoverProcessesReport>
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan GoneDeadline = TimeSpan.FromSeconds(10);
    private readonly Inventory.Inventory _inventory;
    private readonly ISshConnector _ssh;
    private readonly TimeProvider _time;

    public KillLeftoverProcessesActivity(Inventory.Inventory inventory, ISshConnector ssh, TimeProvider time)
    {
        _inventory = inventory;
        _ssh = ssh;
        _time = time;
    }

    public override async Task<LeftoverProcessesReport> RunAsync(TaskActivityContext context, ServiceRef input)
    {
        TargetDefinition target = _inventory.GetTarget(input.Target);
        ServiceDefinition service = target.GetService(input.Service);
        if (service.ProcessPattern is not { } pattern || service.ProcessUser is not { } user)
        {
            return new LeftoverProcessesReport([], false, [], $"{service.Name} has no processPattern/processUser in the inventory; leftover processes not checked");
        }

        await using ISshSession ssh = await _ssh.ConnectAsync(target, CancellationToken.None);
        IReadOnlyList<string> found = await FindAsync(ssh, user, pattern);
        if (found.Count == 0)
        {
            return new LeftoverProcessesReport([], false, [], $"no {pattern} process of user {user} left");
        }

        CommandResult kill = await ssh.RunAsync(ProcessCommands.KillLeftovers(user, pattern), CommandTimeout, CancellationToken.None);
        bool signalled = ProcessCommands.ParseKill(kill);
        DateTime killedAt = _time.GetUtcNow().UtcDateTime;
        DateTime giveUpAt = _time.GetUtcNow().UtcDateTime + GoneDeadline;
        IReadOnlyList<string> remaining;
        do
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), _time);
            remaining = await FindAsync(ssh, user, pattern);
        }
        while (remaining.Count > 0 && _time.GetUtcNow().UtcDateTime < giveUpAt);

        string summary = remaining.Count == 0
            ? $"killed {found.Count} leftover {pattern} process(es) of user {user}: {string.Join(", ", found)}"
            : $"{remaining.Count} {pattern} process(es) survived SIGKILL ({kill.Summary()}): {string.Join(", ", remaining)}";
        return new LeftoverProcessesReport(found, signalled, remaining, summary, signalled ? killedAt : null);
    }

    private static async Task<IReadOnlyList<string>> FindAsync(ISshSession ssh, string user, string pattern)
    {
        CommandResult result = await ssh.RunAsync(ProcessCommands.FindLeftovers(user, pattern), CommandTimeout, CancellationToken.None);
        return [.. ProcessCommands.ParseLeftovers(result).Select(p => $"{p.Pid} {p.CommandLine}")];
    }
}
