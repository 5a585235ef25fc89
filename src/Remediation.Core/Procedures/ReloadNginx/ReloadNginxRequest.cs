using Remediation.Runs.Approvals;
using Remediation.Runs;

namespace Remediation.Procedures.ReloadNginx;

/// <summary>The input of a reload-nginx run (runbook §3), as accepted by the intake.</summary>
public sealed record ReloadNginxRequest : IRunRequest
{
    public const string ReloadMode = "reload";
    public const string RestartMode = "restart";

    public required string Target { get; init; }

    /// <summary>The nginx service of the target.</summary>
    public required string Service { get; init; }

    public string Reason { get; init; } = "";
    public string RequestedBy { get; init; } = "";
    public bool Force { get; init; }
    public bool DryRun { get; init; }

    /// <summary>What started the run (portal, alert, schedule) and the alert's identity; null means the portal.</summary>
    public RunTrigger? Trigger { get; init; }

    /// <summary>The approval policy's terms; null when the run needs no approval.</summary>
    public ApprovalTerms? Approval { get; init; }

    /// <summary>"reload" (zero downtime, the default) or "restart".</summary>
    public string Mode { get; init; } = ReloadMode;
}
