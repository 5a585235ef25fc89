namespace Remediation.ServiceManagers;

/// <summary>
/// What the service manager itself recorded about a unit's last stop and the start after it — supervisord's log lines,
/// systemd's unit timestamps — in UTC by the target's clock. Read after a crash, when nobody watched the outage.
/// </summary>
public sealed record ServiceHistory
{
    /// <summary>Where the times come from ("supervisord's log", "systemctl show").</summary>
    public required string Source { get; init; }

    /// <summary>How fine the times are ("millisecond", "microsecond").</summary>
    public required string Resolution { get; init; }

    /// <summary>When the manager began stopping the old process (supervisor "waiting for … to stop", systemd ActiveExitTimestamp).</summary>
    public DateTime? StopBeganUtc { get; init; }

    /// <summary>When the old process was gone (supervisor "stopped:"/"exited:", systemd InactiveEnterTimestamp).</summary>
    public DateTime? StoppedUtc { get; init; }

    /// <summary>When the next process was started, and its PID (supervisor "spawned:", systemd ExecMainStartTimestamp).</summary>
    public DateTime? SpawnedUtc { get; init; }
    public int? SpawnedPid { get; init; }

    /// <summary>When the manager called the new process up (supervisor "entered RUNNING state", systemd ActiveEnterTimestamp).</summary>
    public DateTime? RunningUtc { get; init; }

    /// <summary>The lines or properties the times were read from, each with its time, for the record.</summary>
    public IReadOnlyList<string> Evidence { get; init; } = [];
}
