namespace Remediation.Tests.Intake.Alerts;

/// <summary>The vendor-shaped sample payloads kept as test data files (Intake/Alerts/Payloads).</summary>
internal static class AlertPayloads
{
    public static string Read(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Intake", "Alerts", "Payloads", name + ".json"));
}
