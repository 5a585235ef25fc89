using System.Net;
using System.Text.Json.Nodes;
using Remediation.Tests.Fixture;
using Xunit;
using Xunit.Abstractions;

namespace Remediation.Tests.EndToEnd;

/// <summary>Every ending leaves a record: a run cancelled through the API, and one terminated as the last resort.</summary>
[Collection(TargetHostCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class RunEndingsEndToEndTests : IAsyncLifetime
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(120);
    private readonly TargetHostFixture _fixture;
    private readonly ITestOutputHelper _output;
    private readonly RestartLogBlobs _blobs;

    public RunEndingsEndToEndTests(TargetHostFixture fixture, ITestOutputHelper output)
    {
        _fixture = fixture;
        _output = output;
        _blobs = new RestartLogBlobs(fixture.Facts.StorageConnectionString);
    }

    public Task InitializeAsync() => _fixture.RestoreBaselineAsync();

    public Task DisposeAsync() => _fixture.RestoreBaselineAsync();

    [Fact]
    public async Task Cancel_DuringRestartStack_FinishesTheStepInFlightAndFilesWhoCancelledAndWhatChanged()
    {
        await using ServerProcess server = await StartServerAsync();
        using var api = new RemediationApiClient(server.BaseAddress);
        int? postgresqlPid = await TargetHostFixture.GetSupervisorPidAsync("postgresql");

        // Stopping nginx takes a few hundred milliseconds, too short to be caught in flight by polling; an Odoo that
        // ignores SIGTERM holds its stop for supervisor's stopwaitsecs (30 s), so the cancel lands during that step.
        _fixture.SetKnob("ignore-sigterm");
        string id = await api.StartAsync("""{"target":"demo","procedure":"restart-stack","reason":"End-to-end test","requestedBy":"e2e-tests"}""");
        await api.WaitForPhaseAsync(id, "Stop odoo", TimeSpan.FromSeconds(60));
        (HttpStatusCode status, JsonNode? body) = await api.PostToRunAsync(id, "cancel", """{"requestedBy":"carol","reason":"wrong window"}""");
        JsonNode run = await api.WaitUntilFinishedAsync(id, RunTimeout);
        _output.WriteLine(run.ToJsonString());

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Contains("next step", body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("Completed", run["runtimeStatus"]!.GetValue<string>());
        JsonNode result = run["result"]!;
        Assert.Equal("Cancelled", result["outcome"]!.GetValue<string>());
        string resolution = result["resolution"]!.GetValue<string>();
        Assert.Contains("Cancelled by carol (wrong window)", resolution, StringComparison.Ordinal);

        // The step in flight (stop odoo) ended; nothing after it ran: PostgreSQL was never touched. Odoo may still be
        // STOPPING: its stop command gives up before supervisor's 30 s, and the record says so.
        Assert.Contains("before \"Stop postgresql\"", resolution, StringComparison.Ordinal);
        Assert.Contains("nginx (stop)", resolution, StringComparison.Ordinal);
        Assert.Contains("odoo (stop)", resolution, StringComparison.Ordinal);
        Assert.Equal("STOPPED", await TargetHostFixture.GetSupervisorStateAsync("nginx"));
        Assert.Contains(await TargetHostFixture.GetSupervisorStateAsync("odoo"), new[] { "STOPPING", "STOPPED" });
        Assert.Equal(postgresqlPid, await TargetHostFixture.GetSupervisorPidAsync("postgresql"));
        (HttpStatusCode logStatus, string log, _) = await api.GetRestartLogAsync(id);
        Assert.Equal(HttpStatusCode.OK, logStatus);
        Assert.Contains("carol", log, StringComparison.Ordinal);

        // Once it has ended, there is nothing left to cancel.
        (HttpStatusCode again, _) = await api.PostToRunAsync(id, "cancel");
        Assert.Equal(HttpStatusCode.Conflict, again);
    }

    [Fact]
    public async Task Terminate_DuringARestart_EndsTheRunAndStillFilesItsRecord()
    {
        _fixture.SetKnob("slow-start", "4");
        await using ServerProcess server = await StartServerAsync();
        using var api = new RemediationApiClient(server.BaseAddress);

        string id = await api.StartAsync(EndToEndServer.RestartRequest());
        await api.WaitForPhaseAsync(id, "Graceful restart", TimeSpan.FromSeconds(60));
        (HttpStatusCode status, JsonNode? body) = await api.PostToRunAsync(id, "terminate?reason=operator%20gave%20up");
        JsonNode run = await api.WaitUntilFinishedAsync(id, RunTimeout);
        _output.WriteLine(run.ToJsonString());

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.NotNull(body!["restartLog"]?.GetValue<string>());
        Assert.Equal("Terminated", run["runtimeStatus"]!.GetValue<string>());
        JsonNode result = run["result"]!;
        Assert.Equal("Failed", result["outcome"]!.GetValue<string>());
        Assert.Contains("Terminated (operator gave up) during \"Graceful restart\"", result["resolution"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain(result["steps"]!.AsArray(), s => s!["status"]!.GetValue<string>() == "Running");
        IReadOnlyList<string> artifacts = await _blobs.ListForRunAsync(id);
        Assert.Single(artifacts, a => a.EndsWith(".md", StringComparison.Ordinal));
        Assert.Single(artifacts, a => a.EndsWith(".json", StringComparison.Ordinal));
    }

    private async Task<ServerProcess> StartServerAsync()
    {
        string hub = EndToEndServer.NewHub();
        return await EndToEndServer.StartAsync(_fixture, hub, EndToEndServer.WriteInventory(_fixture, hub));
    }
}
