using Remediation.Procedures;

namespace Remediation.Artifacts;

/// <summary>
/// Everything a run did and found: the JSON record filed in Blob storage and the source of the markdown restart
/// log (the runbook's template, every field filled).
/// </summary>
public sealed record RunRecord
{
    public required string InstanceId { get; init; }
    public required string Procedure { get; init; }
    public required string Target { get; init; }
    public IReadOnlyList<string> Services { get; init; } = [];
    public string Reason { get; init; } = "";
    public string RequestedBy { get; init; } = "";
    public bool Force { get; init; }
    public bool DryRun { get; init; }
    public DateTime StartedUtc { get; init; }
    public DateTime FinishedUtc { get; init; }
    public RunOutcome Outcome { get; init; }

    /// <summary>The "Resolution" line of the restart log.</summary>
    public string Resolution { get; init; } = "";

    /// <summary>Seconds the service did not answer its health probe, measured by polling during the restart; null when not measured.</summary>
    public double? DowntimeSeconds { get; init; }

    /// <summary>How downtime was measured (probe, interval), or why it was not.</summary>
    public string DowntimeMethod { get; init; } = "";

    public bool ForcePathTaken { get; init; }
    public int? PidBefore { get; init; }
    public int? PidAfter { get; init; }
    public IReadOnlyList<string> Issues { get; init; } = [];
    public IReadOnlyList<string> FollowUpActions { get; init; } = [];
    public IReadOnlyList<SuccessCriterion> SuccessCriteria { get; init; } = [];
    public IReadOnlyList<StepRecord> Steps { get; init; } = [];
}
