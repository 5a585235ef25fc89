using Remediation.Inventory;

namespace Remediation.ServiceManagers;

/// <summary>The built-in service managers: systemd and supervisor. Both are stateless, so one instance each is shared.</summary>
public sealed class ServiceManagerProvider : IServiceManagerProvider
{
    public IServiceManager For(ServiceManagerKind kind) => kind switch
    {
        ServiceManagerKind.Systemd => SystemdServiceManager.Instance,
        ServiceManagerKind.Supervisor => SupervisorServiceManager.Instance,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "No service manager for this kind."),
    };
}
