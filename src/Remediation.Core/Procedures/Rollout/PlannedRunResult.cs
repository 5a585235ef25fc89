using Remediation.Runs;

namespace Remediation.Procedures.Rollout;

/// <summary>How one target of a rollout went: its checklist steps, the remediations it started, and its outcome with the reason.</summary>
public sealed record PlannedRunResult
{
    public required string Target { get; init; }
    public PlannedRunOutcome Outcome { get; init; }
    public string Reason { get; init; } = "";
    public DateTime? StartedUtc { get; init; }
    public DateTime? FinishedUtc { get; init; }
    public IReadOnlyList<StepRecord> Checklist { get; init; } = [];
    public IReadOnlyList<PlannedRemediation> Remediations { get; init; } = [];

    public static PlannedRunResult NotStarted(string target, string reason) =>
        new() { Target = target, Outcome = PlannedRunOutcome.NotStarted, Reason = reason };
}
