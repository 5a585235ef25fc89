namespace Remediation.Intake;

/// <summary>What a caller asks for: a procedure on a target (and service), why, and by whom.</summary>
public sealed record RemediationRequest
{
    public string? Target { get; init; }
    public string? Procedure { get; init; }
    public string? Service { get; init; }
    public string? Reason { get; init; }
    public string? RequestedBy { get; init; }
    public bool Force { get; init; }
    public bool DryRun { get; init; }

    /// <summary>reload-nginx: "reload" (default, zero downtime) or "restart".</summary>
    public string? Mode { get; init; }

    /// <summary>restart-postgresql: active queries older than this many seconds block the restart (default 60).</summary>
    public int? LongQueryThresholdSeconds { get; init; }
}
