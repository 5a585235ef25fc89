using Remediation.Inventory;

namespace Remediation.ServiceManagers;

/// <summary>Picks the command templates and parser for a target's init system.</summary>
public interface IServiceManagerProvider
{
    IServiceManager For(ServiceManagerKind kind);
}
