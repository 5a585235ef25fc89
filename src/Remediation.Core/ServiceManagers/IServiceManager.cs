using Remediation.Ssh;

namespace Remediation.ServiceManagers;

/// <summary>The command templates and output parsing of one init system (systemd, supervisor).</summary>
public interface IServiceManager
{
    RemoteCommand Status(string unit);

    /// <summary>Reads a status command's result; throws <see cref="ServiceManagerException"/> when the output cannot be understood.</summary>
    ServiceStatus ParseStatus(string unit, CommandResult result);

    RemoteCommand Restart(string unit);
    RemoteCommand Stop(string unit);
    RemoteCommand Start(string unit);
    RemoteCommand Reload(string unit);
}
