using System.Text.Json;

namespace Remediation.Intake.Alerts;

/// <summary>
/// Azure Monitor's common alert schema (<c>schemaId: azureMonitorCommonAlertSchema</c>): one alert per notification,
/// <c>monitorCondition</c> Fired or Resolved. Metric and log search (v2) alerts add their dimensions as labels; a legacy
/// Log Analytics alert has none; an activity log alert is informational.
/// </summary>
public sealed class AzureMonitorParser : IAlertParser
{
    public const string SchemaId = "azureMonitorCommonAlertSchema";

    public string Source => AlertSource.AzureMonitor;

    public AlertParseResult Parse(string body)
    {
        try
        {
            using JsonDocument document = AlertJson.Parse(body, Source);
            return AlertParseResult.Of([Read(document.RootElement)]);
        }
        catch (AlertPayloadException e)
        {
            return AlertParseResult.Invalid(e.Message);
        }
    }

    private Alert Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new AlertPayloadException("An Azure Monitor payload is a JSON object.");
        }

        string schema = AlertJson.String(root, "schemaId", "schemaId");
        if (schema != SchemaId)
        {
            throw new AlertPayloadException($"'schemaId' is \"{AlertJson.Printable(schema)}\"; only the common alert schema (\"{SchemaId}\") is read: enable it on the action group.");
        }

        JsonElement data = AlertJson.Object(root, "data", "data");
        JsonElement essentials = AlertJson.Object(data, "essentials", "data.essentials");
        string alertId = AlertJson.String(essentials, "alertId", "data.essentials.alertId");
        string rule = AlertJson.String(essentials, "alertRule", "data.essentials.alertRule");
        string condition = AlertJson.String(essentials, "monitorCondition", "data.essentials.monitorCondition");
        bool firing = condition switch
        {
            "Fired" => true,
            "Resolved" => false,
            _ => throw new AlertPayloadException($"'data.essentials.monitorCondition' must be \"Fired\" or \"Resolved\", not \"{AlertJson.Printable(condition)}\"."),
        };
        string? severity = AlertJson.OptionalString(essentials, "severity", "data.essentials.severity");
        string? signalType = AlertJson.OptionalString(essentials, "signalType", "data.essentials.signalType");
        string? service = AlertJson.OptionalString(essentials, "monitoringService", "data.essentials.monitoringService");
        IReadOnlyList<string> targets = AlertJson.Strings(essentials, "alertTargetIDs", "data.essentials.alertTargetIDs");
        IReadOnlyList<string> items = AlertJson.Strings(essentials, "configurationItems", "data.essentials.configurationItems");

        var labels = new Dictionary<string, string>(StringComparer.Ordinal) { ["alertRule"] = rule };
        AddIf(labels, "severity", severity);
        AddIf(labels, "signalType", signalType);
        AddIf(labels, "monitoringService", service);
        AddIf(labels, "configurationItem", items.Count > 0 ? items[0] : null);
        AddIf(labels, "targetResourceType", AlertJson.OptionalString(essentials, "targetResourceType", "data.essentials.targetResourceType"));
        AddIf(labels, "targetResourceGroup", AlertJson.OptionalString(essentials, "targetResourceGroup", "data.essentials.targetResourceGroup"));
        if (AlertJson.OptionalObject(data, "alertContext", "data.alertContext") is { } context)
        {
            AddDimensions(context, labels);
        }

        return new Alert
        {
            Source = Source,
            Firing = firing,
            SourceFingerprint = alertId,
            RuleName = rule,
            Severity = severity,
            SignalType = signalType,
            Informational = string.Equals(signalType, "Activity Log", StringComparison.OrdinalIgnoreCase)
                || (service?.StartsWith("Activity Log", StringComparison.OrdinalIgnoreCase) ?? false),
            Labels = labels,
            ResourceIds = targets,
            CustomProperties = AlertJson.ScalarMap(data, "customProperties", "data.customProperties"),
            Summary = AlertJson.OptionalString(essentials, "description", "data.essentials.description"),
        };
    }

    /// <summary>Metric and log search (v2) alerts: <c>condition.allOf[].dimensions[]</c> name/value pairs become labels.</summary>
    private static void AddDimensions(JsonElement context, Dictionary<string, string> labels)
    {
        if (AlertJson.OptionalObject(context, "condition", "data.alertContext.condition") is not { } condition
            || !condition.TryGetProperty("allOf", out JsonElement allOf) || allOf.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        int i = 0;
        foreach (JsonElement criterion in allOf.EnumerateArray())
        {
            string path = AlertJson.Index("data.alertContext.condition.allOf", i++);
            if (criterion.ValueKind != JsonValueKind.Object)
            {
                throw new AlertPayloadException($"'{path}' must be a JSON object.");
            }

            AddIf(labels, "metricName", AlertJson.OptionalString(criterion, "metricName", path + ".metricName"));
            if (!criterion.TryGetProperty("dimensions", out JsonElement dimensions) || dimensions.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            if (dimensions.ValueKind != JsonValueKind.Array)
            {
                throw new AlertPayloadException($"'{path}.dimensions' must be an array.");
            }

            int j = 0;
            foreach (JsonElement dimension in dimensions.EnumerateArray())
            {
                string at = AlertJson.Index(path + ".dimensions", j++);
                if (dimension.ValueKind != JsonValueKind.Object)
                {
                    throw new AlertPayloadException($"'{at}' must be a JSON object with name and value.");
                }

                if (labels.Count >= AlertJson.MaxEntries)
                {
                    throw new AlertPayloadException($"'{path}.dimensions' has too many entries.");
                }

                labels.TryAdd(AlertJson.String(dimension, "name", at + ".name"), AlertJson.String(dimension, "value", at + ".value"));
            }
        }
    }

    private static void AddIf(Dictionary<string, string> labels, string name, string? value)
    {
        if (value is not null)
        {
            labels[name] = value;
        }
    }
}
