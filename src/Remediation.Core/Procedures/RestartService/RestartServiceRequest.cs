using Remediation.Runs.Approvals;
using Remediation.Runs;

namespace Remediation.Procedures.RestartService;

/// <summary>The input of a restart-service run, as accepted by the intake.</summary>
public sealed record RestartServiceRequest : IRunRequest
{
    public required string Target { get; init; }
    public required string Service { get; init; }
    public string Reason { get; init; } = "";
    public string RequestedBy { get; init; } = "";

    /// <summary>Restart even when active users or due crons would defer it.</summary>
    public bool Force { get; init; }

    /// <summary>Run only the read-only checks and show the plan.</summary>
    public bool DryRun { get; init; }

    /// <summary>What started the run (portal, alert, schedule) and the alert's identity; null means the portal.</summary>
    public RunTrigger? Trigger { get; init; }

    /// <summary>The approval policy's terms; null when the run needs no approval.</summary>
    public ApprovalTerms? Approval { get; init; }
}
