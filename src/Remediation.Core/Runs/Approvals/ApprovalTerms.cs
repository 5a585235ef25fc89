namespace Remediation.Runs.Approvals;

/// <summary>
/// What the intake's approval policy decided for a run: approval always (<see cref="Required"/>), or only if the run
/// goes past a blocker because of force; how long to wait for a decision; and why, in words for the approver.
/// </summary>
public sealed record ApprovalTerms
{
    /// <summary>Approval is needed whatever the pre-checks find.</summary>
    public bool Required { get; init; }

    /// <summary>Approval is needed when force takes the run past a users, crons or long-query blocker.</summary>
    public bool WhenForcedPastBlockers { get; init; }

    /// <summary>Without a decision within this many seconds the run is aborted (nothing changed).</summary>
    public int TimeoutSeconds { get; init; } = 1800;

    /// <summary>Why the policy asks for approval (e.g. "alert-triggered restart-postgresql").</summary>
    public string Why { get; init; } = "";
}
