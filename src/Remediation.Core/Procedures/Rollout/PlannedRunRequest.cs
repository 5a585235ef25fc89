using Remediation.Runs;
using Remediation.Schedules.Deferrals;

namespace Remediation.Procedures.Rollout;

/// <summary>One target of a rollout: the Pre-Restart Checklist, then the procedure (and the runs deferred to this window), each only if it fits the window.</summary>
public sealed record PlannedRunRequest
{
    public required string RolloutId { get; init; }
    public required string Target { get; init; }
    public required string Procedure { get; init; }
    public string? Service { get; init; }
    public string? Mode { get; init; }
    public bool Force { get; init; }
    public string Reason { get; init; } = "";
    public string RequestedBy { get; init; } = "";

    /// <summary>What the runs it starts record as their trigger: the maintenance window (schedule), or the portal for a rollout someone asked for.</summary>
    public RunTrigger Trigger { get; init; } = new();

    /// <summary>No procedure starts that could still run at this time; null: no limit.</summary>
    public DateTime? WindowEndUtc { get; init; }

    /// <summary>When the notice went out (null: none was configured); recorded as the checklist's first item.</summary>
    public DateTime? NoticeSentUtc { get; init; }

    public double PollSeconds { get; init; } = 5;

    public IReadOnlyList<DeferredRun> Deferred { get; init; } = [];
}
