namespace Remediation.Tests.EndToEnd;

/// <summary>Server settings for the alert end-to-end tests: an Alertmanager bearer token and the one rule routing OdooDown on the alert's target to restart-service odoo.</summary>
internal static class AlertRoutingSettings
{
    public static Dictionary<string, string> OdooDown(string bearerToken, int maxRestarts) => new()
    {
        ["Alerts:Webhooks:alertmanager:BearerToken"] = bearerToken,
        ["RestartBudget:MaxRestarts"] = maxRestarts.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Alerts:Rules:0:Name"] = "odoo-down",
        ["Alerts:Rules:0:Source"] = "alertmanager",
        ["Alerts:Rules:0:AlertRule"] = "OdooDown",
        ["Alerts:Rules:0:TargetLabel"] = "target",
        ["Alerts:Rules:0:Procedure"] = "restart-service",
        ["Alerts:Rules:0:Service"] = "odoo",
    };
}
