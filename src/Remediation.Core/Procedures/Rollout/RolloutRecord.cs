using Remediation.Runs;

namespace Remediation.Procedures.Rollout;

/// <summary>A rollout's own record (JSON and a markdown summary in Blob <c>rollouts/</c>): what it was asked, how each target went, the failures named.</summary>
public sealed record RolloutRecord
{
    public required string InstanceId { get; init; }
    public required string Name { get; init; }
    public required string Procedure { get; init; }
    public string? Service { get; init; }
    public string? Mode { get; init; }
    public string Reason { get; init; } = "";
    public string RequestedBy { get; init; } = "";
    public IReadOnlyList<string> Targets { get; init; } = [];
    public int MaxConcurrency { get; init; }
    public int FailureThreshold { get; init; }
    public DateTime? WindowStartUtc { get; init; }
    public DateTime? WindowEndUtc { get; init; }
    public DateTime StartedUtc { get; init; }
    public DateTime FinishedUtc { get; init; }
    public RolloutOutcome Outcome { get; init; }
    public string Summary { get; init; } = "";

    /// <summary>The notice (runbook: "Notify users of impending restart"), as a step.</summary>
    public StepRecord? Notice { get; init; }

    /// <summary>"target: reason" for every target that failed or was not started.</summary>
    public IReadOnlyList<string> Failures { get; init; } = [];

    public IReadOnlyList<PlannedRunResult> Results { get; init; } = [];

    /// <summary>Most targets running at once, from the results' start and finish times.</summary>
    public int PeakConcurrency { get; init; }
}
