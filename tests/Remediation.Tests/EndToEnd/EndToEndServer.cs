using System.Text.Json.Nodes;
using Remediation.Tests.Fixture;

namespace Remediation.Tests.EndToEnd;

/// <summary>Starts the real server against the fixture: its own task hub, an inventory derived from the fixture's, the product's recovery timeouts.</summary>
internal static class EndToEndServer
{
    /// <summary>A fresh task hub name (DTFx wants letters and digits only).</summary>
    public static string NewHub() => "e2e" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>Writes the fixture's inventory, changed by <paramref name="edit"/>, to a file of its own.</summary>
    public static string WriteInventory(TargetHostFixture fixture, string name, Action<JsonNode>? edit = null)
    {
        JsonNode inventory = JsonNode.Parse(File.ReadAllText(fixture.Facts.InventoryFile))!;
        edit?.Invoke(inventory);
        string directory = Path.Combine(fixture.Facts.StateDirectory, "e2e");
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, name + ".json");
        File.WriteAllText(path, inventory.ToJsonString());
        return path;
    }

    /// <summary>The target named <paramref name="target"/> in an inventory document (demo or demo-systemd).</summary>
    public static JsonNode Target(JsonNode inventory, string target = TargetUnderTest.Supervisor) =>
        inventory["targets"]!.AsArray().First(t => t!["name"]!.GetValue<string>() == target)!;

    public static JsonNode Service(JsonNode inventory, string name, string target = TargetUnderTest.Supervisor) =>
        Target(inventory, target)["services"]!.AsArray().First(s => s!["name"]!.GetValue<string>() == name)!;

    /// <summary>
    /// Starts a server on <paramref name="hub"/>. Visibility timeouts and leases are the product's defaults, so crash tests
    /// measure what production does. <paramref name="storage"/> replaces the fixture's Azurite (an outage test's own instance);
    /// <paramref name="settings"/> overrides any other setting. Runs forced past blockers do not wait for approval unless a
    /// test sets <c>Remediation:Approvals:WhenForcedPastBlockers</c>.
    /// </summary>
    public static Task<ServerProcess> StartAsync(
        TargetHostFixture fixture, string hub, string inventoryFile, string workerId = "e2e-worker", string? keysFile = null, string? storage = null,
        IReadOnlyDictionary<string, string>? settings = null)
    {
        var all = new Dictionary<string, string>
        {
            ["Api:KeysFile"] = keysFile ?? "",
            ["Remediation:InventoryFile"] = inventoryFile,
            ["Durable:TaskHubName"] = hub,
            ["Durable:StorageConnectionString"] = storage ?? fixture.Facts.StorageConnectionString,
            ["Durable:MaxQueuePollingInterval"] = "00:00:00.500",
            ["Durable:WorkerId"] = workerId,
            ["Artifacts:ConnectionString"] = storage ?? fixture.Facts.StorageConnectionString,
            // Forced runs would wait 30 min for an approval nobody gives; the approval test turns this back on.
            ["Remediation:Approvals:WhenForcedPastBlockers"] = "false",
        };
        foreach ((string key, string value) in settings ?? new Dictionary<string, string>())
        {
            all[key] = value;
        }

        return ServerProcess.StartAsync(all);
    }

    public static string RestartRequest(bool force = false, string service = "odoo", string target = TargetUnderTest.Supervisor) =>
        $$"""{"target":"{{target}}","procedure":"restart-service","service":"{{service}}","reason":"End-to-end test","requestedBy":"e2e-tests","force":{{(force ? "true" : "false")}}}""";
}
