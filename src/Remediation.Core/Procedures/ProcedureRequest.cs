using Remediation.Runs;
using Remediation.Runs.Approvals;

namespace Remediation.Procedures;

/// <summary>What the input of every state-changing or verifying procedure carries, as accepted by the intake.</summary>
public abstract record ProcedureRequest : IRunRequest
{
    public required string Target { get; init; }
    public string Reason { get; init; } = "";
    public string RequestedBy { get; init; } = "";

    /// <summary>Go past the blockers a pre-check found (active users, due crons, long queries); never past a dead dependency.</summary>
    public bool Force { get; init; }

    /// <summary>Run only the read-only checks and show the plan.</summary>
    public bool DryRun { get; init; }

    /// <summary>What started the run (portal, alert, schedule) and the alert's identity; null means the portal.</summary>
    public RunTrigger? Trigger { get; init; }

    /// <summary>The approval policy's terms; null when the run needs no approval.</summary>
    public ApprovalTerms? Approval { get; init; }
}
