using System.Text.Json;

namespace Remediation.Intake.Alerts;

/// <summary>
/// Grafana Alerting's webhook contact point: Alertmanager's shape plus <c>orgId</c>, <c>title</c>, <c>state</c> and
/// <c>message</c>, payload version "1".
/// </summary>
public sealed class GrafanaParser : IAlertParser
{
    public string Source => AlertSource.Grafana;

    public AlertParseResult Parse(string body)
    {
        try
        {
            using JsonDocument document = AlertJson.Parse(body, Source);
            JsonElement root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && AlertJson.OptionalString(root, "version", "version") is { } version && version != "1")
            {
                return AlertParseResult.Invalid($"Grafana webhook payload version \"{AlertJson.Printable(version)}\" is not supported; version \"1\" is.");
            }

            if (root.ValueKind == JsonValueKind.Object && !root.TryGetProperty("orgId", out _))
            {
                return AlertParseResult.Invalid("'orgId' is required: this does not look like a Grafana Alerting webhook payload.");
            }

            return AlertParseResult.Of(PrometheusStyleAlerts.Read(root, Source));
        }
        catch (AlertPayloadException e)
        {
            return AlertParseResult.Invalid(e.Message);
        }
    }
}
