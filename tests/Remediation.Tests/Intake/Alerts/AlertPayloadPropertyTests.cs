using System.Text;
using System.Text.Json.Nodes;
using FsCheck.Xunit;
using Remediation.Intake.Alerts;
using Xunit;

namespace Remediation.Tests.Intake.Alerts;

/// <summary>
/// Valid payloads of every kind, mutated (fields removed, retyped, renamed, truncated, bytes flipped, labels replaced with
/// hostile text): the intake never throws (no 500), answers only 202/400/404/422, and schedules nothing when it refuses.
/// </summary>
[Trait("Category", "Orchestration")]
public sealed class AlertPayloadPropertyTests : IAsyncLifetime
{
    private static readonly (string Source, string Payload)[] Samples =
    [
        (AlertSource.Alertmanager, "alertmanager-firing"), (AlertSource.Alertmanager, "alertmanager-mixed"), (AlertSource.Alertmanager, "alertmanager-resolved"),
        (AlertSource.Grafana, "grafana-firing"),
        (AlertSource.AzureMonitor, "azure-metric-fired"), (AlertSource.AzureMonitor, "azure-metric-resolved"), (AlertSource.AzureMonitor, "azure-log-v2-fired"),
        (AlertSource.AzureMonitor, "azure-log-analytics-legacy-fired"), (AlertSource.AzureMonitor, "azure-activity-log-fired"),
    ];

    private static readonly JsonNode?[] Replacements =
    [
        null, JsonValue.Create(42), JsonValue.Create(true), JsonValue.Create(""), JsonValue.Create("demo; reboot"), JsonValue.Create("$(id)"),
        JsonValue.Create(new string('x', 5000)), new JsonArray(), new JsonObject(), JsonValue.Create("resolved"), JsonValue.Create("ghost"), JsonValue.Create("Fired"),
    ];

    private AlertHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await AlertHarness.StartAsync(AlertHarness.SampleRules(holdSeconds: 600));

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Property(MaxTest = 300)]
    public void ReceiveAsync_MutatedPayload_NeverFailsAndNeverSchedulesWhenRefused(int seed, int sample)
    {
        var random = new Random(seed);
        (string source, string name) = Samples[Math.Abs(sample % Samples.Length)];
        string body = Mutate(AlertPayloads.Read(name), random);
        int before = AlertIntakeOrchestrationTests.ScheduledAsync(_harness).GetAwaiter().GetResult().Count;

        AlertIntakeResult result = _harness.PostAsync(source, body).GetAwaiter().GetResult();

        Assert.Contains(result.Status, new[] { 202, 400, 404, 422 });
        int after = AlertIntakeOrchestrationTests.ScheduledAsync(_harness).GetAwaiter().GetResult().Count;
        if (result.Status != 202)
        {
            Assert.False(string.IsNullOrEmpty(result.Error));
            Assert.Equal(before, after);
        }
    }

    private static string Mutate(string json, Random random)
    {
        switch (random.Next(4))
        {
            case 0:
                // Byte-level damage: truncation or a flipped character.
                byte[] bytes = Encoding.UTF8.GetBytes(json);
                if (random.Next(2) == 0)
                {
                    return Encoding.UTF8.GetString(bytes, 0, random.Next(bytes.Length));
                }

                bytes[random.Next(bytes.Length)] = (byte)random.Next(32, 127);
                return Encoding.UTF8.GetString(bytes);
            default:
                JsonNode root = JsonNode.Parse(json)!;
                int edits = random.Next(1, 4);
                for (int i = 0; i < edits; i++)
                {
                    List<(JsonNode Parent, string? Key, int Index)> slots = [];
                    Collect(root, slots);
                    if (slots.Count == 0)
                    {
                        break;
                    }

                    (JsonNode parent, string? key, int index) = slots[random.Next(slots.Count)];
                    JsonNode? replacement = Replacements[random.Next(Replacements.Length)]?.DeepClone();
                    if (parent is JsonObject obj && key is not null)
                    {
                        if (random.Next(3) == 0)
                        {
                            obj.Remove(key);
                        }
                        else
                        {
                            obj[key] = replacement;
                        }
                    }
                    else if (parent is JsonArray array)
                    {
                        if (random.Next(3) == 0)
                        {
                            array.RemoveAt(index);
                        }
                        else
                        {
                            array[index] = replacement;
                        }
                    }
                }

                return root.ToJsonString();
        }
    }

    private static void Collect(JsonNode node, List<(JsonNode, string?, int)> slots)
    {
        if (node is JsonObject obj)
        {
            foreach ((string key, JsonNode? child) in obj.ToList())
            {
                slots.Add((obj, key, -1));
                if (child is not null)
                {
                    Collect(child, slots);
                }
            }
        }
        else if (node is JsonArray array)
        {
            for (int i = 0; i < array.Count; i++)
            {
                slots.Add((array, null, i));
                if (array[i] is { } child)
                {
                    Collect(child, slots);
                }
            }
        }
    }
}
