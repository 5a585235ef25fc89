using Remediation.Runs.Approvals;
using Remediation.Runs;

namespace Remediation.Procedures.Verify;

/// <summary>The input of a verify run (runbook "Post-Restart Verification" on its own), as accepted by the intake.</summary>
public sealed record VerifyRequest : IRunRequest
{
    public required string Target { get; init; }
    public string Reason { get; init; } = "";
    public string RequestedBy { get; init; } = "";

    /// <summary>Verify changes nothing; force has no effect.</summary>
    public bool Force { get; init; }

    /// <summary>Verify is read-only already; a dry run is the same run.</summary>
    public bool DryRun { get; init; }

    /// <summary>What started the run (portal, alert, schedule) and the alert's identity; null means the portal.</summary>
    public RunTrigger? Trigger { get; init; }

    /// <summary>The approval policy's terms; null when the run needs no approval.</summary>
    public ApprovalTerms? Approval { get; init; }
}
