namespace Remediation.Intake.Alerts;

/// <summary>What became of one alert of a notification — the line the receipt keeps and the 202 answers with.</summary>
public sealed record AlertOutcome
{
    public required string Key { get; init; }
    public required string Status { get; init; }
    public string? SourceFingerprint { get; init; }
    public string? AlertRule { get; init; }
    public string? RoutingRule { get; init; }
    public string? Target { get; init; }
    public string? Procedure { get; init; }

    /// <summary>started, attached, cancel-requested, ignored, deferred, escalated, refused.</summary>
    public required string Action { get; init; }

    /// <summary>The run (or escalation) the alert started or was attached to.</summary>
    public string? RunId { get; init; }

    public string? Reason { get; init; }

    public const string Started = "started";
    public const string Attached = "attached";
    public const string CancelRequested = "cancel-requested";
    public const string Ignored = "ignored";
    public const string Deferred = "deferred";
    public const string Escalated = "escalated";
    public const string Refused = "refused";
}
