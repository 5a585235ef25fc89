using System.Text.Json.Nodes;
using Remediation.Tests.Fixture;

namespace Remediation.Tests.EndToEnd;

/// <summary>Starts the real server against the fixture: its own task hub, an inventory derived from the fixture's, crash-test timeouts.</summary>
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

    public static JsonNode Service(JsonNode inventory, string name) =>
        inventory["targets"]![0]!["services"]!.AsArray().First(s => s!["name"]!.GetValue<string>() == name)!;

    public static Task<ServerProcess> StartAsync(TargetHostFixture fixture, string hub, string inventoryFile, string workerId = "e2e-worker", string? keysFile = null, IReadOnlyDictionary<string, string>? settings = null)
    {
        var all = new Dictionary<string, string>
        {
            ["Api:KeysFile"] = keysFile ?? "",
            ["Remediation:InventoryFile"] = inventoryFile,
            ["Durable:TaskHubName"] = hub,
            ["Durable:StorageConnectionString"] = fixture.Facts.StorageConnectionString,
            ["Durable:MaxQueuePollingInterval"] = "00:00:00.500",
            // Short enough that an activity interrupted by the crash test is re-delivered quickly; longer than any activity here.
            ["Durable:WorkItemQueueVisibilityTimeout"] = "00:00:20",
            ["Durable:ControlQueueVisibilityTimeout"] = "00:00:20",
            // A restarted server is the same worker (as after a host reboot), so it takes its partitions back at once.
            ["Durable:WorkerId"] = workerId,
            ["Artifacts:ConnectionString"] = fixture.Facts.StorageConnectionString,
        };
        foreach ((string key, string value) in settings ?? new Dictionary<string, string>())
        {
            all[key] = value;
        }

        return ServerProcess.StartAsync(all);
    }

    public static string RestartRequest(bool force = false, string service = "odoo") =>
        $$"""{"target":"demo","procedure":"restart-service","service":"{{service}}","reason":"End-to-end test","requestedBy":"e2e-tests","force":{{(force ? "true" : "false")}}}""";
}
