using System.Text.Json;

namespace Remediation.Intake.Alerts;

/// <summary>Prometheus Alertmanager's <c>webhook_config</c> payload, version 4 (the only version Alertmanager has sent since 0.x).</summary>
public sealed class AlertmanagerParser : IAlertParser
{
    public string Source => AlertSource.Alertmanager;

    public AlertParseResult Parse(string body)
    {
        try
        {
            using JsonDocument document = AlertJson.Parse(body, Source);
            JsonElement root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && AlertJson.OptionalString(root, "version", "version") is { } version && version != "4")
            {
                return AlertParseResult.Invalid($"Alertmanager webhook payload version \"{AlertJson.Printable(version)}\" is not supported; version \"4\" is.");
            }

            if (root.ValueKind == JsonValueKind.Object && !root.TryGetProperty("version", out _))
            {
                return AlertParseResult.Invalid("'version' is required: Alertmanager sends \"4\".");
            }

            return AlertParseResult.Of(PrometheusStyleAlerts.Read(root, Source));
        }
        catch (AlertPayloadException e)
        {
            return AlertParseResult.Invalid(e.Message);
        }
    }
}
