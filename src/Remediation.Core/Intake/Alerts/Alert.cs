namespace Remediation.Intake.Alerts;

/// <summary>
/// One alert from any source, in the terms routing needs: firing or resolved, the source's own identity of it, the alert
/// rule, labels (Alertmanager/Grafana labels; Azure essentials and dimensions), resources and custom properties. Every value is data.
/// </summary>
public sealed record Alert
{
    public required string Source { get; init; }

    /// <summary>True while firing; false once resolved.</summary>
    public required bool Firing { get; init; }

    /// <summary>The source's identity of the alert instance: Alertmanager/Grafana <c>fingerprint</c>, Azure <c>alertId</c>.</summary>
    public string? SourceFingerprint { get; init; }

    /// <summary>Alertmanager/Grafana <c>alertname</c>; Azure <c>alertRule</c>.</summary>
    public string? RuleName { get; init; }

    public string? Severity { get; init; }

    /// <summary>Azure: Metric, Log, Activity Log; Prometheus/Grafana: null.</summary>
    public string? SignalType { get; init; }

    /// <summary>An informational alert (Azure activity log): it never restarts anything unless a rule says so.</summary>
    public bool Informational { get; init; }

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>Azure <c>alertTargetIDs</c> (lower-cased by Azure), Prometheus/Grafana: none.</summary>
    public IReadOnlyList<string> ResourceIds { get; init; } = [];

    /// <summary>Azure <c>customProperties</c>; Prometheus/Grafana: annotations.</summary>
    public IReadOnlyDictionary<string, string> CustomProperties { get; init; } = new Dictionary<string, string>();

    /// <summary>A short text for records (summary annotation or description).</summary>
    public string? Summary { get; init; }

    /// <summary>Our key for the alert: source, rule and fingerprint; two deliveries of the same alert share it.</summary>
    public string Key => $"{Source}:{RuleName ?? "-"}:{SourceFingerprint ?? "-"}";

    public string Status => Firing ? "firing" : "resolved";
}
