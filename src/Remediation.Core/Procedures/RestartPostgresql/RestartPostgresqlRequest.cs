using Remediation.Runs.Approvals;
using Remediation.Runs;

namespace Remediation.Procedures.RestartPostgresql;

/// <summary>The input of a restart-postgresql run (runbook §2), as accepted by the intake.</summary>
public sealed record RestartPostgresqlRequest : IRunRequest
{
    public const int DefaultLongQueryThresholdSeconds = 60;

    public required string Target { get; init; }

    /// <summary>The PostgreSQL service of the target.</summary>
    public required string Service { get; init; }

    public string Reason { get; init; } = "";
    public string RequestedBy { get; init; } = "";
    public bool Force { get; init; }
    public bool DryRun { get; init; }

    /// <summary>What started the run (portal, alert, schedule) and the alert's identity; null means the portal.</summary>
    public RunTrigger? Trigger { get; init; }

    /// <summary>The approval policy's terms; null when the run needs no approval.</summary>
    public ApprovalTerms? Approval { get; init; }

    /// <summary>Active queries older than this block the restart unless forced (runbook: "long-running queries", more than 1 minute).</summary>
    public int LongQueryThresholdSeconds { get; init; } = DefaultLongQueryThresholdSeconds;
}
