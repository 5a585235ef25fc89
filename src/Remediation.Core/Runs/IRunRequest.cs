using Remediation.Runs.Approvals;

namespace Remediation.Runs;

/// <summary>What every procedure's input carries: where it runs, why, for whom, and the two switches every procedure honours.</summary>
public interface IRunRequest
{
    string Target { get; }
    string Reason { get; }
    string RequestedBy { get; }

    /// <summary>Go past the blockers a pre-check found (active users, due crons, long queries).</summary>
    bool Force { get; }

    /// <summary>Run only the read-only checks and show the plan.</summary>
    bool DryRun { get; }

    /// <summary>What started the run and, for an alert, its identity; null for requests from before triggers were recorded (the portal).</summary>
    RunTrigger? Trigger { get; }

    /// <summary>The approval policy's terms for this run; null when it needs no approval.</summary>
    ApprovalTerms? Approval { get; }
}
