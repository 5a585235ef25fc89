namespace Remediation.Intake.Alerts;

/// <summary>The monitoring systems whose native webhook payloads the intake reads, by the names routes and rules use.</summary>
public static class AlertSource
{
    /// <summary>Azure Monitor action groups, common alert schema (metric, log search, legacy Log Analytics, activity log).</summary>
    public const string AzureMonitor = "azure-monitor";

    /// <summary>Prometheus Alertmanager <c>webhook_config</c>, payload version 4.</summary>
    public const string Alertmanager = "alertmanager";

    /// <summary>Grafana Alerting's webhook contact point.</summary>
    public const string Grafana = "grafana";

    public static IReadOnlyList<string> All { get; } = [AzureMonitor, Alertmanager, Grafana];
}
