using System.Text.Json;

namespace Remediation.Intake.Alerts;

/// <summary>
/// The alert list Alertmanager's webhook (version 4) and Grafana's webhook share: a group with a status and its alerts,
/// each with its own <c>status</c>, <c>labels</c>, <c>annotations</c> and <c>fingerprint</c>. A group may mix firing and
/// resolved alerts; each alert's own status counts, not the group's.
/// </summary>
internal static class PrometheusStyleAlerts
{
    public const int MaxAlerts = 1000;

    public static IReadOnlyList<Alert> Read(JsonElement root, string source)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new AlertPayloadException($"A {source} webhook payload is a JSON object, not {root.ValueKind.ToString().ToLowerInvariant()}.");
        }

        string groupStatus = AlertJson.String(root, "status", "status");
        _ = Firing(groupStatus, "status");
        IReadOnlyDictionary<string, string> common = AlertJson.StringMap(root, "commonLabels", "commonLabels");
        JsonElement alerts = AlertJson.Array(root, "alerts", "alerts");
        int count = alerts.GetArrayLength();
        if (count == 0)
        {
            throw new AlertPayloadException("'alerts' is empty: a webhook notification carries at least one alert.");
        }

        if (count > MaxAlerts)
        {
            throw new AlertPayloadException($"'alerts' has {count} alerts; at most {MaxAlerts} are read per notification (Alertmanager: set max_alerts).");
        }

        var read = new List<Alert>(count);
        int i = 0;
        foreach (JsonElement alert in alerts.EnumerateArray())
        {
            string path = AlertJson.Index("alerts", i++);
            if (alert.ValueKind != JsonValueKind.Object)
            {
                throw new AlertPayloadException($"'{path}' must be a JSON object.");
            }

            // Alertmanager always sends labels; an alert without them cannot be routed or deduplicated.
            if (!alert.TryGetProperty("labels", out _))
            {
                throw new AlertPayloadException($"'{path}.labels' is required.");
            }

            IReadOnlyDictionary<string, string> labels = AlertJson.StringMap(alert, "labels", path + ".labels");
            IReadOnlyDictionary<string, string> annotations = AlertJson.StringMap(alert, "annotations", path + ".annotations");
            string status = AlertJson.OptionalString(alert, "status", path + ".status") ?? groupStatus;
            var merged = new Dictionary<string, string>(common, StringComparer.Ordinal);
            foreach ((string key, string value) in labels)
            {
                merged[key] = value;
            }

            read.Add(new Alert
            {
                Source = source,
                Firing = Firing(status, path + ".status"),
                SourceFingerprint = AlertJson.OptionalString(alert, "fingerprint", path + ".fingerprint"),
                RuleName = merged.GetValueOrDefault("alertname"),
                Severity = merged.GetValueOrDefault("severity"),
                Labels = merged,
                CustomProperties = annotations,
                Summary = annotations.GetValueOrDefault("summary") ?? annotations.GetValueOrDefault("description"),
            });
        }

        return read;
    }

    private static bool Firing(string status, string path) => status switch
    {
        "firing" => true,
        "resolved" => false,
        _ => throw new AlertPayloadException($"'{path}' must be \"firing\" or \"resolved\", not \"{AlertJson.Printable(status)}\"."),
    };
}
