using Microsoft.DurableTask;
using Remediation.Activities.Logs;
using Remediation.Inventory;
using Remediation.Probes;
using Remediation.Ssh;

namespace Remediation.Activities.Services;

/// <summary>Pre-restart check over one SSH session: status of every service on the target, and how long every service's logs are (verification scans from there).</summary>
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
        return new StackInspection(await statuses, await positions)
        {
            ReadAtUtc = _time.GetUtcNow().UtcDateTime,
            Services = [.. DependencyGraph.StartOrder(target).Select(s => new StackService(s.Name, s.Kind, s.DependsOn))],
        };
    }
}
