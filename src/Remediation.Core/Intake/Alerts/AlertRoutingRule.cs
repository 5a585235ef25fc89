namespace Remediation.Intake.Alerts;

/// <summary>
/// One routing rule (<c>Alerts:Rules</c>, first match wins): matchers on the alert, and the remediation it asks for.
/// Every matcher given must match exactly (labels and custom properties case-sensitive, resource ids case-insensitive).
/// </summary>
public sealed class AlertRoutingRule
{
    public string Name { get; set; } = "";

    /// <summary>azure-monitor, alertmanager or grafana; empty matches any source.</summary>
    public string? Source { get; set; }

    /// <summary>The alert rule's name (Alertmanager/Grafana <c>alertname</c>, Azure <c>alertRule</c>).</summary>
    public string? AlertRule { get; set; }

    public IDictionary<string, string> Labels { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>One of the alert's resource ids (Azure <c>alertTargetIDs</c>).</summary>
    public string? ResourceId { get; set; }

    /// <summary>Azure custom properties; Alertmanager/Grafana annotations.</summary>
    public IDictionary<string, string> CustomProperties { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The inventory target to act on; or name the label whose value is the target with <see cref="TargetLabel"/>.</summary>
    public string? Target { get; set; }

    /// <summary>A label naming the target (its value must be an inventory target's name: unknown is 404, malformed 422).</summary>
    public string? TargetLabel { get; set; }

    public string Procedure { get; set; } = "";
    public string? Service { get; set; }
    public string? Mode { get; set; }

    /// <summary>Only a rule can make an alert-triggered run go past the workload blockers; an alert never can.</summary>
    public bool Force { get; set; }

    /// <summary>Act only if still firing: wait this long on a durable timer first; a resolved alert meanwhile cancels the run. 0 acts at once.</summary>
    public int ActOnlyIfFiringForSeconds { get; set; }

    /// <summary>Informational alerts (Azure activity log) are ignored unless the rule says so.</summary>
    public bool AllowInformational { get; set; }
}
