using Remediation.Runs.Approvals;
using Remediation.Runs.Plans;

namespace Remediation.Runs;

/// <summary>A run's live progress, published as the orchestration's custom status after every step.</summary>
public sealed record RunProgress
{
    public required string Procedure { get; init; }
    public required string Target { get; init; }
    public IReadOnlyList<string> Services { get; init; } = [];

    /// <summary>The step running now, or "finished".</summary>
    public string Phase { get; init; } = "";

    public IReadOnlyList<StepRecord> Steps { get; init; } = [];
    public RunOutcome? Outcome { get; init; }
    public string? Resolution { get; init; }
    public string? RestartLog { get; init; }
    public string? Record { get; init; }

    /// <summary>The plan once the pre-checks have run: what an approver approves, by its hash.</summary>
    public RunPlan? Plan { get; init; }

    /// <summary>The approval this run waits for, or how it was decided.</summary>
    public ApprovalRecord? Approval { get; init; }
}
