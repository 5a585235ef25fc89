using Remediation.Runs.Approvals;
using Remediation.Runs;

namespace Remediation.Procedures.RestartStack;

/// <summary>The input of a restart-stack run (runbook §4), as accepted by the intake.</summary>
public sealed record RestartStackRequest : IRunRequest
{
    public required string Target { get; init; }
    public string Reason { get; init; } = "";
    public string RequestedBy { get; init; } = "";
    public bool Force { get; init; }
    public bool DryRun { get; init; }

    /// <summary>What started the run (portal, alert, schedule) and the alert's identity; null means the portal.</summary>
    public RunTrigger? Trigger { get; init; }

    /// <summary>The approval policy's terms; null when the run needs no approval.</summary>
    public ApprovalTerms? Approval { get; init; }
}
