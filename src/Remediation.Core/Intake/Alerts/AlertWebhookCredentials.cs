namespace Remediation.Intake.Alerts;

/// <summary>
/// What a source must present (<c>Alerts:Webhooks:&lt;source&gt;</c>): Alertmanager and Grafana a bearer token or basic
/// auth (their <c>http_config</c> / contact point settings), Azure Monitor a secret in the webhook URL's query string
/// (<c>?secret=</c>) or an <c>X-Webhook-Secret</c> header. A source with nothing configured is refused (401).
/// </summary>
public sealed class AlertWebhookCredentials
{
    public string? BearerToken { get; set; }
    public string? Username { get; set; }
    public string? Password { get; set; }
    public string? Secret { get; set; }
}
