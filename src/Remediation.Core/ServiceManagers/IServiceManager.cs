using Remediation.Ssh;

namespace Remediation.ServiceManagers;

/// <summary>The command templates and output parsing of one init system (systemd, supervisor).</summary>
public interface IServiceManager
{
    RemoteCommand Status(string unit);

    /// <summary>Reads a status command's result; throws <see cref="ServiceManagerException"/> when the output cannot be understood.</summary>
    ServiceStatus ParseStatus(string unit, CommandResult result);

    /// <summary>
    /// One command that reads the status of all <paramref name="units"/> at once: each read costs a process start on
    /// the target (supervisorctl is a Python start-up of ~250 ms), so a stack is read in one go, not unit by unit.
    /// </summary>
    RemoteCommand StatusAll(IReadOnlyList<string> units);

    /// <summary>
    /// Reads a <see cref="StatusAll"/> result: one status per unit, in the order asked; throws
    /// <see cref="ServiceManagerException"/> when the output cannot be understood or lacks a unit.
    /// </summary>
    IReadOnlyList<ServiceStatus> ParseStatuses(IReadOnlyList<string> units, CommandResult result);

    RemoteCommand Restart(string unit);
    RemoteCommand Stop(string unit);
    RemoteCommand Start(string unit);
    RemoteCommand Reload(string unit);
}
