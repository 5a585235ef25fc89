using Remediation.Runs;
using Remediation.Runs.Approvals;

namespace Remediation.Procedures.Escalate;

/// <summary>An automatic trigger that must not act (restart budget exhausted): who is told, about what, and why.</summary>
public sealed record EscalateRequest : IRunRequest
{
    public required string Target { get; init; }

    /// <summary>The procedure the trigger asked for and did not get.</summary>
    public required string Procedure { get; init; }

    public string? Service { get; init; }
    public string Reason { get; init; } = "";
    public string RequestedBy { get; init; } = "";

    /// <summary>Why the product escalates instead of acting, in words for the on-call operator.</summary>
    public required string Why { get; init; }

    public bool Force => false;
    public bool DryRun => false;
    public RunTrigger? Trigger { get; init; }

    /// <summary>An escalation changes nothing, so it never waits for approval.</summary>
    public ApprovalTerms? Approval => null;
}
