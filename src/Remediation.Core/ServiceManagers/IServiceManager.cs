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

    /// <summary>
    /// True when a status read is expensive (supervisorctl is a Python start-up of ~250 ms) and the manager's start,
    /// stop and restart commands print what they did: steps then judge by <see cref="OutcomeOf"/> and read status
    /// only when the output leaves doubt. False for systemd, whose status reads are cheap and whose commands print nothing.
    /// </summary>
    bool CommandsReportOutcome { get; }

    /// <summary>What a start, stop or restart command's result proves about <paramref name="unit"/>, or null when only a status read can tell.</summary>
    CommandOutcome? OutcomeOf(string unit, CommandResult result);

    /// <summary>
    /// A read-only command whose output tells when <paramref name="unit"/> last stopped and started (supervisord's log,
    /// systemd's unit timestamps): the evidence for an outage nobody watched.
    /// </summary>
    RemoteCommand History(string unit);

    /// <summary>
    /// Reads a <see cref="History"/> result: the stop of <paramref name="previousPid"/> (the process the run saw before
    /// it acted) and the start after it. <paramref name="targetUtcOffset"/> is the target's UTC offset, for managers
    /// that log local time. Throws <see cref="ServiceManagerException"/> when the output cannot be read.
    /// </summary>
    ServiceHistory ParseHistory(string unit, int? previousPid, CommandResult result, TimeSpan targetUtcOffset);

    RemoteCommand Restart(string unit);
    RemoteCommand Stop(string unit);
    RemoteCommand Start(string unit);
    RemoteCommand Reload(string unit);
}
