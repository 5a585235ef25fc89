using Remediation.Inventory;
using Remediation.Runs;
using Remediation.Runs.Approvals;

namespace Remediation.Intake;

/// <summary>A request whose target and service were found in the inventory and whose fields passed validation.</summary>
public sealed record ValidatedRequest(ProcedureDefinition Procedure, TargetDefinition Target, ServiceDefinition? Service, string Reason, string RequestedBy, bool Force, bool DryRun)
{
    /// <summary>The procedure's mode (reload-nginx: "reload" or "restart"); null when it has none.</summary>
    public string? Mode { get; init; }

    /// <summary>restart-postgresql: how old an active query must be to block the restart.</summary>
    public int? LongQueryThresholdSeconds { get; init; }

    /// <summary>What sent the request: the portal, an alert (with its identity) or a schedule.</summary>
    public RunTrigger Trigger { get; init; } = new();
    /// <summary>The approval policy's terms for this run (from its trigger and procedure); null when it needs none.</summary>
    public ApprovalTerms? Approval { get; init; }
}
