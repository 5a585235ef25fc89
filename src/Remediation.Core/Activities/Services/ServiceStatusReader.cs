using Remediation.Inventory;
using Remediation.ServiceManagers;
using Remediation.Ssh;

namespace Remediation.Activities.Services;

/// <summary>Reads services' status over an open session; every state-changing activity starts here.</summary>
public sealed class ServiceStatusReader
{
    private static readonly TimeSpan StatusTimeout = TimeSpan.FromSeconds(15);
    private readonly IServiceManagerProvider _managers;

    public ServiceStatusReader(IServiceManagerProvider managers)
    {
        _managers = managers;
    }

    public IServiceManager ManagerOf(TargetDefinition target) => _managers.For(target.ServiceManager);

    public async Task<ServiceStatus> ReadAsync(ISshSession ssh, TargetDefinition target, ServiceDefinition service, CancellationToken cancellationToken)
    {
        IServiceManager manager = ManagerOf(target);
        CommandResult result = await ssh.RunAsync(manager.Status(service.UnitName), StatusTimeout, cancellationToken);
        return manager.ParseStatus(service.UnitName, result);
    }

    public async Task<IReadOnlyList<ServiceStatusReport>> ReadAllAsync(ISshSession ssh, TargetDefinition target, CancellationToken cancellationToken)
    {
        IEnumerable<Task<ServiceStatusReport>> reads = DependencyGraph.StartOrder(target).Select(async service =>
            new ServiceStatusReport(service.Name, await ReadAsync(ssh, target, service, cancellationToken)));
        return await Task.WhenAll(reads);
    }
}
