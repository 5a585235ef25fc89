using System.Text.Json.Nodes;
using Remediation.Tests.Fixture;
using Xunit;
using Xunit.Abstractions;

namespace Remediation.Tests.EndToEnd;

/// <summary>
/// A fleet rollout (<c>POST /api/rollouts</c>) over four targets of the fixture, two at a time: the supervisor host and
/// the systemd host, each restarted for real; <c>demo-wrong-pin</c>, the supervisor host's real sshd under a pinned key
/// it does not have (refused before authentication); and <c>demo-unreachable</c>, a loopback address nothing listens on
/// (refused, retried, given up). The error threshold decides what starts after a failure.
/// </summary>
[Collection(TargetHostCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class FleetRolloutEndToEndTests(TargetHostFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    private const string WrongPin = "demo-wrong-pin";
    private const string Unreachable = "demo-unreachable";
    private static readonly TimeSpan RolloutTimeout = TimeSpan.FromMinutes(4);

    public Task InitializeAsync() => fixture.RestoreBaselineAsync();

    public Task DisposeAsync() => fixture.RestoreBaselineAsync();

    [Fact]
    public async Task Rollout_OneBrokenTargetAndNoFailureTolerated_StopsThere_AndStartsNothingAfterIt()
    {
        TargetUnderTest demo = fixture.Target(TargetUnderTest.Supervisor);
        TargetUnderTest systemd = fixture.Target(TargetUnderTest.Systemd);
        (string demoMark, string systemdMark) = (await demo.MarkAsync(), await systemd.MarkAsync());

        // demo and the broken target start together; the broken one fails at once, and the threshold (0) stops the rollout.
        JsonNode rollout = await RollOutAsync([TargetUnderTest.Supervisor, WrongPin, TargetUnderTest.Systemd, Unreachable], maxFailures: 0);

        JsonNode record = rollout["result"]!;
        Assert.Equal("Stopped", record["outcome"]!.GetValue<string>());
        Assert.Equal(["Succeeded", "Failed", "NotStarted", "NotStarted"], Outcomes(record));
        Assert.Contains("not the pinned", Result(record, WrongPin)["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        string[] failures = [.. record["failures"]!.AsArray().Select(f => f!.GetValue<string>())];
        Assert.StartsWith($"{WrongPin}: Failed", failures[0], StringComparison.Ordinal);
        Assert.Contains("stopped", record["summary"]!.GetValue<string>(), StringComparison.Ordinal);

        // What the targets themselves say: demo was restarted once, the systemd host never touched.
        Assert.Equal(1, await demo.CountStartsAsync("odoo", demoMark));
        Assert.Equal(0, await systemd.CountStartsAsync("odoo", systemdMark));
        Assert.Empty(Result(record, TargetUnderTest.Systemd)["remediations"]!.AsArray());
    }

    [Fact]
    public async Task Rollout_FailuresWithinTheThreshold_TriesEveryTarget_TwoAtATime()
    {
        TargetUnderTest demo = fixture.Target(TargetUnderTest.Supervisor);
        TargetUnderTest systemd = fixture.Target(TargetUnderTest.Systemd);
        (string demoMark, string systemdMark) = (await demo.MarkAsync(), await systemd.MarkAsync());

        JsonNode rollout = await RollOutAsync([TargetUnderTest.Supervisor, TargetUnderTest.Systemd, WrongPin, Unreachable], maxFailures: 2);

        JsonNode record = rollout["result"]!;
        Assert.Equal("CompletedWithFailures", record["outcome"]!.GetValue<string>());
        Assert.Equal(["Succeeded", "Succeeded", "Failed", "Failed"], Outcomes(record));
        Assert.Equal([WrongPin, Unreachable], record["failures"]!.AsArray().Select(f => f!.GetValue<string>().Split(':')[0]));
        Assert.Contains("unreachable", Result(record, Unreachable)["reason"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1, await demo.CountStartsAsync("odoo", demoMark));
        Assert.Equal(1, await systemd.CountStartsAsync("odoo", systemdMark));

        // Two at a time, and never more: the two real restarts overlapped.
        Assert.Equal(2, record["peakConcurrency"]!.GetValue<int>());
        (DateTime from, DateTime until) = Window(Result(record, TargetUnderTest.Supervisor));
        (DateTime from2, DateTime until2) = Window(Result(record, TargetUnderTest.Systemd));
        Assert.True(from < until2 && from2 < until, $"demo ran {from:O}–{until:O}, demo-systemd {from2:O}–{until2:O}: not at the same time");
        foreach (string target in new[] { TargetUnderTest.Supervisor, TargetUnderTest.Systemd })
        {
            JsonNode remediation = Assert.Single(Result(record, target)["remediations"]!.AsArray())!;
            Assert.Equal("Succeeded", remediation["outcome"]!.GetValue<string>());
        }
    }

    /// <summary>restart-service odoo over <paramref name="targets"/>, two at a time, through a server of its own; the finished rollout's view.</summary>
    private async Task<JsonNode> RollOutAsync(string[] targets, int maxFailures)
    {
        string hub = EndToEndServer.NewHub();
        string inventory = EndToEndServer.WriteInventory(fixture, hub, AddBrokenTargets);
        await using ServerProcess server = await EndToEndServer.StartAsync(fixture, hub, inventory);
        using var api = new RemediationApiClient(server.BaseAddress);
        var request = new JsonObject
        {
            ["procedure"] = "restart-service",
            ["service"] = "odoo",
            ["targets"] = new JsonArray([.. targets.Select(t => (JsonNode)t)]),
            ["maxConcurrency"] = 2,
            ["maxFailures"] = maxFailures,
            ["reason"] = "End-to-end fleet rollout",
            ["requestedBy"] = "e2e-tests",
        };

        string id = await api.StartRolloutAsync(request.ToJsonString());
        JsonNode rollout = await api.WaitUntilRolloutFinishedAsync(id, RolloutTimeout);
        output.WriteLine(rollout.ToJsonString());
        Assert.Equal("Completed", rollout["runtimeStatus"]!.GetValue<string>());
        return rollout;
    }

    /// <summary>Two targets that cannot be remediated, beside the fixture's two real ones.</summary>
    private static void AddBrokenTargets(JsonNode inventory)
    {
        JsonArray targets = inventory["targets"]!.AsArray();
        JsonNode wrongPin = EndToEndServer.Target(inventory).DeepClone();
        wrongPin["name"] = WrongPin;
        wrongPin["hostKey"] = "SHA256:" + Convert.ToBase64String(new byte[32]).TrimEnd('=');
        targets.Add(wrongPin);
        JsonNode unreachable = EndToEndServer.Target(inventory).DeepClone();
        unreachable["name"] = Unreachable;
        unreachable["address"] = "127.0.0.7";   // loopback, but no sshd listens there (the fixture's bind 127.0.0.1)
        targets.Add(unreachable);
    }

    private static string[] Outcomes(JsonNode record) => [.. record["results"]!.AsArray().Select(r => r!["outcome"]!.GetValue<string>())];

    private static JsonNode Result(JsonNode record, string target) =>
        record["results"]!.AsArray().Single(r => r!["target"]!.GetValue<string>() == target)!;

    private static (DateTime From, DateTime Until) Window(JsonNode result) =>
        (result["startedUtc"]!.GetValue<DateTime>(), result["finishedUtc"]!.GetValue<DateTime>());
}
