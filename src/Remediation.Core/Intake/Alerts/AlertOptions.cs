namespace Remediation.Intake.Alerts;

/// <summary>Alert intake settings (<c>Alerts</c>): routing rules in order and each source's webhook credentials.</summary>
public sealed class AlertOptions
{
    public const string Section = "Alerts";

    public IList<AlertRoutingRule> Rules { get; } = [];

    /// <summary>By source name: azure-monitor, alertmanager, grafana.</summary>
    public IDictionary<string, AlertWebhookCredentials> Webhooks { get; } = new Dictionary<string, AlertWebhookCredentials>(StringComparer.OrdinalIgnoreCase);
}
