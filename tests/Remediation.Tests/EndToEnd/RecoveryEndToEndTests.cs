using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Remediation.Tests.Fixture;
using Xunit;
using Xunit.Abstractions;

namespace Remediation.Tests.EndToEnd;

/// <summary>Faults and recovery through the real server on the real target: a server killed for good while another serves the hub, and task hub storage down in the middle of a run.</summary>
[Collection(TargetHostCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class RecoveryEndToEndTests : IAsyncLifetime
{
    private static readonly TimeSpan ResumeGoal = TimeSpan.FromSeconds(15);
    private readonly TargetHostFixture _fixture;
    private readonly ITestOutputHelper _output;

    public RecoveryEndToEndTests(TargetHostFixture fixture, ITestOutputHelper output)
    {
        _fixture = fixture;
        _output = output;
    }

    public Task InitializeAsync() => _fixture.RestoreBaselineAsync();

    public Task DisposeAsync() => _fixture.RestoreBaselineAsync();

    [Fact]
    public async Task ServerKilledForGood_SecondServerOnTheHub_CompletesTheRunWithOneRestart()
    {
        string hub = EndToEndServer.NewHub();
        string inventory = EndToEndServer.WriteInventory(_fixture, hub);
        int? pidBefore = await TargetHostFixture.GetSupervisorPidAsync("odoo");
        long supervisorLog = _fixture.SupervisorLogLength();
        // Odoo answers 8 s after it starts: the restart activity is still watching readiness when its server dies.
        _fixture.SetKnob("slow-start", "8");

        ServerProcess first = await EndToEndServer.StartAsync(_fixture, hub, inventory, workerId: "takeover-a");
        ServerProcess? second = null;
        string id;
        Stopwatch sinceKill;
        try
        {
            using var api = new RemediationApiClient(first.BaseAddress);
            id = await api.StartAsync(EndToEndServer.RestartRequest(force: true));
            await api.WaitForPhaseAsync(id, "Graceful restart", TimeSpan.FromSeconds(60));
            await WaitForNewOdooPidAsync(pidBefore, TimeSpan.FromSeconds(30));
            second = await EndToEndServer.StartAsync(_fixture, hub, inventory, workerId: "takeover-b");
        }
        finally
        {
            await first.KillAsync();
            sinceKill = Stopwatch.StartNew();
            _output.WriteLine("--- first server (killed, never restarted) ---\n" + first.Output);
            await first.DisposeAsync();
        }

        await using ServerProcess survivor = second!;
        using var api2 = new RemediationApiClient(survivor.BaseAddress);
        await api2.WaitUntilPastPhaseAsync(id, "Graceful restart", TimeSpan.FromSeconds(60));
        TimeSpan resumed = sinceKill.Elapsed;
        JsonNode run = await api2.WaitUntilFinishedAsync(id, TimeSpan.FromSeconds(90));
        TimeSpan finished = sinceKill.Elapsed;
        _output.WriteLine($"kill -> next step on the survivor: {resumed.TotalSeconds:0.0} s; kill -> completed: {finished.TotalSeconds:0.0} s");
        _output.WriteLine(run.ToJsonString());

        Assert.Equal("Completed", run["runtimeStatus"]!.GetValue<string>());
        Assert.Equal("Succeeded", run["result"]!["outcome"]!.GetValue<string>());
        Assert.True(resumed < ResumeGoal, $"the survivor went on {resumed.TotalSeconds:0.0} s after the kill");
        Assert.Equal(1, _fixture.CountSupervisorSpawns("odoo", supervisorLog));
        Assert.NotEqual(pidBefore, await TargetHostFixture.GetSupervisorPidAsync("odoo"));
        IReadOnlyList<string> artifacts = await new RestartLogBlobs(_fixture.Facts.StorageConnectionString).ListForRunAsync(id);
        Assert.Single(artifacts, a => a.EndsWith(".md", StringComparison.Ordinal));
        Assert.Single(artifacts, a => a.EndsWith(".json", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StorageDownTenSecondsMidRun_HealthAndApiSay503_RunCompletesOnceStorageIsBack()
    {
        await using PrivateAzurite azurite = await PrivateAzurite.StartAsync(Path.Combine(_fixture.Facts.StateDirectory, "e2e"));
        string hub = EndToEndServer.NewHub();
        await using ServerProcess server = await EndToEndServer.StartAsync(
            _fixture, hub, EndToEndServer.WriteInventory(_fixture, hub), workerId: "outage", storage: azurite.ConnectionString);
        using var api = new RemediationApiClient(server.BaseAddress);
        int? pidBefore = await TargetHostFixture.GetSupervisorPidAsync("odoo");
        long supervisorLog = _fixture.SupervisorLogLength();

        string id = await api.StartAsync(EndToEndServer.RestartRequest(force: true));
        await Task.Delay(TimeSpan.FromSeconds(1));
        await azurite.StopAsync();
        var outage = Stopwatch.StartNew();
        _output.WriteLine($"storage stopped; run phase before: see below");

        // While it is down: /healthz and the API say 503 with a reason, never 500.
        (HttpStatusCode healthStatus, string healthBody) = await WaitForStatusAsync(api, "/healthz", HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(8));
        (HttpStatusCode getStatus, string getBody, string? getType) = await api.GetRawAsync($"/api/remediations/{id}");
        _output.WriteLine($"healthz {(int)healthStatus}: {healthBody}");
        _output.WriteLine($"GET run {(int)getStatus} {getType}: {getBody}");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, healthStatus);
        Assert.Contains("task hub storage is unreachable", JsonNode.Parse(healthBody)!["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, getStatus);
        Assert.Equal("application/problem+json", getType);
        Assert.Contains("storage", JsonNode.Parse(getBody)!["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        TimeSpan rest = TimeSpan.FromSeconds(10) - outage.Elapsed;
        if (rest > TimeSpan.Zero)
        {
            await Task.Delay(rest);
        }

        await azurite.StartAgainAsync();
        var sinceBack = Stopwatch.StartNew();
        _output.WriteLine($"storage back after {outage.Elapsed.TotalSeconds:0.0} s");
        JsonNode run = await api.WaitUntilFinishedAsync(id, TimeSpan.FromSeconds(120));
        _output.WriteLine($"storage back -> run finished: {sinceBack.Elapsed.TotalSeconds:0.0} s");
        _output.WriteLine(run.ToJsonString());
        _output.WriteLine("--- server ---\n" + server.Output);

        Assert.Equal("Completed", run["runtimeStatus"]!.GetValue<string>());
        Assert.Equal("Succeeded", run["result"]!["outcome"]!.GetValue<string>());
        Assert.Equal(1, _fixture.CountSupervisorSpawns("odoo", supervisorLog));
        Assert.NotEqual(pidBefore, await TargetHostFixture.GetSupervisorPidAsync("odoo"));
        IReadOnlyList<string> artifacts = await new RestartLogBlobs(azurite.ConnectionString).ListForRunAsync(id);
        Assert.Single(artifacts, a => a.EndsWith(".md", StringComparison.Ordinal));
        (HttpStatusCode healthAfter, _) = await WaitForStatusAsync(api, "/healthz", HttpStatusCode.OK, TimeSpan.FromSeconds(5));
        Assert.Equal(HttpStatusCode.OK, healthAfter);
    }

    private static async Task<(HttpStatusCode Status, string Text)> WaitForStatusAsync(
        RemediationApiClient api, string path, HttpStatusCode wanted, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        (HttpStatusCode status, string text, _) = await api.GetRawAsync(path);
        while (status != wanted && clock.Elapsed < timeout)
        {
            await Task.Delay(200);
            (status, text, _) = await api.GetRawAsync(path);
        }

        return (status, text);
    }

    private static async Task WaitForNewOdooPidAsync(int? pidBefore, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            int? pid = await TargetHostFixture.GetSupervisorPidAsync("odoo");
            if (pid is not null && pid != pidBefore)
            {
                return;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException("odoo was not restarted");
    }
}
