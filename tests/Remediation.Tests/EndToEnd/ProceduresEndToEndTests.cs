using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Npgsql;
using Remediation.Tests.Fixture;
using Xunit;
using Xunit.Abstractions;

namespace Remediation.Tests.EndToEnd;

/// <summary>Runbook §2, §3, §4 and "Post-Restart Verification" through the real server, on the real target host.</summary>
[Collection(TargetHostCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class ProceduresEndToEndTests : IAsyncLifetime
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(120);
    private const string BrokenNginxConfig = "/etc/nginx/conf.d/remediation-e2e-broken.conf";   // on the target
    private readonly TargetHostFixture _fixture;
    private readonly ITestOutputHelper _output;
    private readonly RestartLogBlobs _blobs;

    public ProceduresEndToEndTests(TargetHostFixture fixture, ITestOutputHelper output)
    {
        _fixture = fixture;
        _output = output;
        _blobs = new RestartLogBlobs(fixture.Facts.StorageConnectionString);
    }

    public Task InitializeAsync()
    {
        DeleteBrokenNginxConfig();   // an interrupted earlier run may have left it
        return _fixture.RestoreBaselineAsync();
    }

    public async Task DisposeAsync()
    {
        DeleteBrokenNginxConfig();
        await _fixture.RestoreBaselineAsync();
    }

    private void DeleteBrokenNginxConfig()
    {
        File.Delete(_fixture.Supervisor.OnHost(BrokenNginxConfig));
        File.Delete(_fixture.Systemd.OnHost(BrokenNginxConfig));
    }

    [Theory]
    [MemberData(nameof(TargetUnderTest.Both), MemberType = typeof(TargetUnderTest))]
    public async Task RestartPostgresql_HealthyStack_StopsDependentsFirstAndStartsThemAfterInOrder(string targetName)
    {
        TargetUnderTest target = _fixture.Target(targetName);
        await using ServerProcess server = await StartServerAsync();
        using var api = new RemediationApiClient(server.BaseAddress);
        string mark = await target.MarkAsync();

        JsonNode run = await RunAsync(api, Request(target, "restart-postgresql"));

        Assert.Equal("Completed", run["runtimeStatus"]!.GetValue<string>());
        Assert.Equal("Succeeded", run["result"]!["outcome"]!.GetValue<string>());
        IReadOnlyList<string> events = await target.EventsSinceAsync(mark);
        AssertInOrder(events, "stopped nginx", "stopped odoo", "started postgresql", "started odoo", "started nginx");
        Assert.Equal(1, await target.CountStartsAsync("postgresql", mark));
        Assert.Equal(1, await target.CountStartsAsync("odoo", mark));
        JsonArray changes = run["result"]!["changes"]!.AsArray();
        Assert.Equal(["postgresql", "odoo", "nginx"], changes.Select(c => c!["service"]!.GetValue<string>()));
        Assert.All(changes, c => Assert.Equal("Restart", c!["action"]!.GetValue<string>()));
        Assert.All(changes, c => Assert.True(c!["downtimeSeconds"]!.GetValue<double>() > 0, c.ToJsonString()));
        Assert.Contains(run["progress"]!["steps"]!.AsArray(), s => s!["name"]!.GetValue<string>() == "Verify PostgreSQL accepts connections" && s["summary"]!.GetValue<string>().Contains("PostgreSQL 15", StringComparison.Ordinal));
        string restartLog = await _blobs.ReadAsync(run["progress"]!["restartLog"]!.GetValue<string>());
        _output.WriteLine(restartLog);
        Assert.Contains("**Services Restarted**: PostgreSQL / Odoo / Nginx", restartLog, StringComparison.Ordinal);
        Assert.Contains("per service: PostgreSQL", restartLog, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TargetUnderTest.Both), MemberType = typeof(TargetUnderTest))]
    public async Task RestartPostgresql_QueryOlderThanThreshold_DefersNamingItAndForceProceedsOnceApproved(string targetName)
    {
        TargetUnderTest target = _fixture.Target(targetName);
        await using ServerProcess server = await StartServerAsync(new Dictionary<string, string> { ["Remediation:Approvals:WhenForcedPastBlockers"] = "true" });
        using var api = new RemediationApiClient(server.BaseAddress);
        await using NpgsqlConnection session = await target.OpenOdooDatabaseAsync();
        await using var sleeper = new NpgsqlCommand("SELECT pg_sleep(60) /* remediation-e2e-long-query */", session) { CommandTimeout = 120 };
        Task sleeping = sleeper.ExecuteNonQueryAsync();
        await Task.Delay(TimeSpan.FromSeconds(2));
        string mark = await target.MarkAsync();

        JsonNode deferred = await RunAsync(api, Request(target, "restart-postgresql", extra: "\"longQueryThresholdSeconds\":1"));

        Assert.Equal("Deferred", deferred["result"]!["outcome"]!.GetValue<string>());
        Assert.Contains("remediation-e2e-long-query", deferred["result"]!["resolution"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, await target.CountStartsAsync("postgresql", mark));

        string id = await api.StartAsync(Request(target, "restart-postgresql", force: true, extra: "\"longQueryThresholdSeconds\":1"));
        JsonNode waiting = await api.WaitForAsync(id, view => view["progress"]?["approval"]?["status"]?.GetValue<string>() == "Awaiting", RunTimeout, "awaiting approval");
        string planHash = waiting["progress"]!["approval"]!["planHash"]!.GetValue<string>();
        Assert.Equal(0, await target.CountStartsAsync("postgresql", mark));
        (HttpStatusCode selfApproval, _) = await api.PostToRunAsync(id, "approve", $$"""{"approver":"e2e-tests","planHash":"{{planHash}}"}""");
        (HttpStatusCode wrongPlan, _) = await api.PostToRunAsync(id, "approve", """{"approver":"sre-bob","planHash":"0000"}""");
        (HttpStatusCode approval, JsonNode? answer) = await api.PostToRunAsync(id, "approve", $$"""{"approver":"sre-bob","planHash":"{{planHash}}","comment":"the long query is a report"}""");
        Assert.Equal(HttpStatusCode.Forbidden, selfApproval);
        Assert.Equal(HttpStatusCode.Conflict, wrongPlan);
        Assert.True(approval == HttpStatusCode.Accepted, $"{(int)approval}: {answer}");
        JsonNode forced = await api.WaitUntilFinishedAsync(id, RunTimeout);
        _output.WriteLine(forced.ToJsonString());

        Assert.Equal("Completed", forced["runtimeStatus"]!.GetValue<string>());
        Assert.Equal(1, await target.CountStartsAsync("postgresql", mark));
        JsonNode decided = forced["progress"]!["approval"]!;
        Assert.Equal("Approved", decided["status"]!.GetValue<string>());
        Assert.Equal("sre-bob", decided["decidedBy"]!.GetValue<string>());
        string restartLog = await _blobs.ReadAsync(forced["progress"]!["restartLog"]!.GetValue<string>());
        _output.WriteLine(restartLog);
        Assert.Contains("approved by sre-bob", restartLog, StringComparison.Ordinal);
        Assert.Contains("requested by e2e-tests", restartLog, StringComparison.Ordinal);
        await Assert.ThrowsAnyAsync<Exception>(() => sleeping);   // the restart ended the sleeping session
    }

    [Theory]
    [MemberData(nameof(TargetUnderTest.Both), MemberType = typeof(TargetUnderTest))]
    public async Task ReloadNginx_BrokenConfig_ReloadsNothingAndRecordsTheError(string targetName)
    {
        TargetUnderTest target = _fixture.Target(targetName);
        await using ServerProcess server = await StartServerAsync();
        using var api = new RemediationApiClient(server.BaseAddress);
        int? master = await target.GetPidAsync("nginx");
        IReadOnlyList<int> workers = await target.NginxWorkersAsync();
        File.WriteAllText(target.OnHost(BrokenNginxConfig), "this_is_not_a_directive on;\n");

        JsonNode run = await RunAsync(api, Request(target, "reload-nginx"));

        Assert.Equal("Failed", run["runtimeStatus"]!.GetValue<string>());
        Assert.Equal(master, await target.GetPidAsync("nginx"));
        Assert.Equal(workers, await target.NginxWorkersAsync());
        await target.WaitForNginxHealthyAsync(TimeSpan.FromSeconds(2));
        string restartLog = await _blobs.ReadAsync(run["progress"]!["restartLog"]!.GetValue<string>());
        _output.WriteLine(restartLog);
        // nginx's error text, escaped as markdown like everything the target supplies.
        Assert.Contains(@"this\_is\_not\_a\_directive", restartLog, StringComparison.Ordinal);
        Assert.Contains("nothing was reloaded", restartLog, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TargetUnderTest.Both), MemberType = typeof(TargetUnderTest))]
    public async Task ReloadNginx_GoodConfig_ReloadsWithZeroFailedRequests(string targetName)
    {
        TargetUnderTest target = _fixture.Target(targetName);
        await using ServerProcess server = await StartServerAsync();
        using var api = new RemediationApiClient(server.BaseAddress);
        int? master = await target.GetPidAsync("nginx");
        IReadOnlyList<int> workers = await target.NginxWorkersAsync();
        using var hammer = new CancellationTokenSource();
        Task<(int Ok, int Failed)> load = HammerAsync(new Uri(target.NginxUrl, "/web/health"), hammer.Token);

        JsonNode run = await RunAsync(api, Request(target, "reload-nginx"));
        await Task.Delay(500);
        await hammer.CancelAsync();
        (int ok, int failed) = await load;

        _output.WriteLine($"{ok} ok, {failed} failed");
        Assert.Equal("Completed", run["runtimeStatus"]!.GetValue<string>());
        Assert.Equal("Reload", run["result"]!["changes"]![0]!["action"]!.GetValue<string>());
        Assert.Equal(0, failed);
        Assert.True(ok > 50, $"only {ok} requests were made during the reload");
        Assert.Equal(master, await target.GetPidAsync("nginx"));
        Assert.Empty((await target.NginxWorkersAsync()).Intersect(workers));
    }

    [Theory]
    [MemberData(nameof(TargetUnderTest.Both), MemberType = typeof(TargetUnderTest))]
    public async Task RestartStack_HealthyStack_StopsInReverseStartsInOrderEachAfterThePreviousIsReady(string targetName)
    {
        TargetUnderTest target = _fixture.Target(targetName);
        await using ServerProcess server = await StartServerAsync();
        using var api = new RemediationApiClient(server.BaseAddress);
        string mark = await target.MarkAsync();

        JsonNode run = await RunAsync(api, Request(target, "restart-stack", service: null));

        Assert.Equal("Completed", run["runtimeStatus"]!.GetValue<string>());
        IReadOnlyList<string> events = await target.EventsSinceAsync(mark);
        AssertInOrder(events, "stopped nginx", "stopped odoo", "stopped postgresql", "started postgresql", "started odoo", "started nginx");
        JsonArray steps = run["progress"]!["steps"]!.AsArray();
        foreach ((string ready, string next) in new[] { ("Wait for postgresql readiness", "Start odoo"), ("Wait for odoo readiness", "Start nginx") })
        {
            DateTime readyAt = steps.First(s => s!["name"]!.GetValue<string>() == ready)!["finishedUtc"]!.GetValue<DateTime>();
            DateTime startedAt = steps.First(s => s!["name"]!.GetValue<string>() == next)!["startedUtc"]!.GetValue<DateTime>();
            Assert.True(startedAt >= readyAt, $"{next} began at {startedAt:O}, before {ready} finished at {readyAt:O}");
        }

        string restartLog = await _blobs.ReadAsync(run["progress"]!["restartLog"]!.GetValue<string>());
        _output.WriteLine(restartLog);
        Assert.Contains("**Services Restarted**: Full Stack (PostgreSQL / Odoo / Nginx)", restartLog, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TargetUnderTest.Both), MemberType = typeof(TargetUnderTest))]
    public async Task Verify_HealthyStack_PassesEveryCriticalCriterionAndChangesNothing(string targetName)
    {
        TargetUnderTest target = _fixture.Target(targetName);
        await using ServerProcess server = await StartServerAsync();
        using var api = new RemediationApiClient(server.BaseAddress);
        string mark = await target.MarkAsync();

        JsonNode run = await RunAsync(api, Request(target, "verify", service: null));

        Assert.Equal("Completed", run["runtimeStatus"]!.GetValue<string>());
        JsonArray criteria = run["result"]!["successCriteria"]!.AsArray();
        Assert.All(criteria.Where(c => c!["critical"]!.GetValue<bool>()), c => Assert.Equal("Passed", c!["status"]!.GetValue<string>()));
        Assert.Contains(criteria, c => c!["name"]!.GetValue<string>() == "Response times normal (<2 seconds)" && c["detail"]!.GetValue<string>().Contains("dashboard", StringComparison.Ordinal));
        Assert.Contains(criteria, c => c!["name"]!.GetValue<string>() == "Users can log in" && c["status"]!.GetValue<string>() == "Passed");
        Assert.Empty(await target.EventsSinceAsync(mark));
    }

    [Theory]
    [MemberData(nameof(TargetUnderTest.Both), MemberType = typeof(TargetUnderTest))]
    public async Task Verify_OdooWroteErrorLines_FailsTheLogCriterionWithTheLine(string targetName)
    {
        TargetUnderTest target = _fixture.Target(targetName);
        // Earlier tests leave their own error lines in the log's tail; only this restart's lines should be in view.
        Assert.Equal(0, (await target.RunOnTargetAsync("/usr/bin/truncate", "-s", "0", _fixture.Facts.OdooLog)).ExitCode);
        target.SetKnob("error-lines", "2");
        LocalCommandResult restart = await target.ControlAsync("restart", "odoo");
        Assert.Equal(0, restart.ExitCode);
        // systemctl returns as soon as a Type=simple unit forks: the knob stays until the stand-in has read it and answers.
        await target.WaitForOdooHealthyAsync(TimeSpan.FromSeconds(30));
        target.ClearKnob("error-lines");
        await using ServerProcess server = await StartServerAsync();
        using var api = new RemediationApiClient(server.BaseAddress);

        JsonNode run = await RunAsync(api, Request(target, "verify", service: null));

        JsonNode logs = run["result"]!["successCriteria"]!.AsArray().First(c => c!["name"]!.GetValue<string>() == "No error messages in logs")!;
        Assert.Equal("Failed", logs["status"]!.GetValue<string>());
        Assert.Contains("Failed to load registry (test knob)", logs["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("SucceededWithIssues", run["result"]!["outcome"]!.GetValue<string>());
    }

    [Fact]
    public async Task Intake_BusyTarget_RefusesAnotherProcedureAndJoinsADuplicate()
    {
        await using ServerProcess server = await StartServerAsync();
        using var api = new RemediationApiClient(server.BaseAddress);
        _fixture.SetKnob("slow-start", "4");   // keeps the stack restart busy for a while
        string stack = Request("restart-stack", service: null, force: true);

        string id = await api.StartAsync(stack);
        (HttpStatusCode busy, JsonNode? problem, _) = await api.PostAsync(Request("restart-service", service: "odoo", force: true));
        (HttpStatusCode again, JsonNode? joined, _) = await api.PostAsync(stack);
        (HttpStatusCode dry, JsonNode? dryRun, _) = await api.PostAsync(Request("restart-service", service: "odoo", extra: "\"dryRun\":true"));

        Assert.Equal(HttpStatusCode.Conflict, busy);
        Assert.Equal(id, problem!["runningId"]!.GetValue<string>());
        Assert.Contains(id, problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Accepted, again);
        Assert.True(joined!["joinedExisting"]!.GetValue<bool>());
        Assert.Equal(id, joined["id"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Accepted, dry);   // a dry run takes no lock
        Assert.NotEqual(id, dryRun!["id"]!.GetValue<string>());
        _fixture.ClearKnob("slow-start");
        JsonNode finished = await api.WaitUntilFinishedAsync(id, RunTimeout);
        Assert.Equal("Completed", finished["runtimeStatus"]!.GetValue<string>());

        JsonNode after = await RunAsync(api, Request("restart-service", service: "odoo", extra: "\"dryRun\":true"));
        Assert.Equal("Completed", after["runtimeStatus"]!.GetValue<string>());
        string next = await api.StartAsync(Request("verify", service: null));
        Assert.NotEqual(id, next);
    }

    [Fact]
    public async Task Intake_TwoServersOneHub_HundredIdenticalRequestsEach_OneRunOneRestartOneLog()
    {
        string hub = EndToEndServer.NewHub();
        string inventory = EndToEndServer.WriteInventory(_fixture, hub);
        await using ServerProcess first = await EndToEndServer.StartAsync(_fixture, hub, inventory, workerId: "lock-a");
        await using ServerProcess second = await EndToEndServer.StartAsync(_fixture, hub, inventory, workerId: "lock-b");
        using var apiA = new RemediationApiClient(first.BaseAddress);
        using var apiB = new RemediationApiClient(second.BaseAddress);
        long supervisorLog = _fixture.SupervisorLogLength();
        string body = EndToEndServer.RestartRequest(force: true);

        (HttpStatusCode Status, JsonNode? Body, Uri? Location)[] answers = await Task.WhenAll(
            Enumerable.Range(0, 200).Select(i => (i % 2 == 0 ? apiA : apiB).PostAsync(body)));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Accepted, a.Status));
        string[] ids = [.. answers.Select(a => a.Body!["id"]!.GetValue<string>()).Distinct()];
        string id = Assert.Single(ids);
        Assert.Single(answers, a => !a.Body!["joinedExisting"]!.GetValue<bool>());
        JsonNode run = await apiA.WaitUntilFinishedAsync(id, RunTimeout);
        Assert.Equal("Completed", run["runtimeStatus"]!.GetValue<string>());
        Assert.Equal(1, _fixture.CountSupervisorSpawns("odoo", supervisorLog));
        IReadOnlyList<string> artifacts = await _blobs.ListForRunAsync(id);
        Assert.Single(artifacts, a => a.EndsWith(".md", StringComparison.Ordinal));
        Assert.False(run["result"]!["forcePathTaken"]!.GetValue<bool>());
    }

    private async Task<ServerProcess> StartServerAsync(IReadOnlyDictionary<string, string>? settings = null)
    {
        string hub = EndToEndServer.NewHub();
        return await EndToEndServer.StartAsync(_fixture, hub, EndToEndServer.WriteInventory(_fixture, hub), settings: settings);
    }

    private async Task<JsonNode> RunAsync(RemediationApiClient api, string request)
    {
        string id = await api.StartAsync(request);
        JsonNode run = await api.WaitUntilFinishedAsync(id, RunTimeout);
        _output.WriteLine(run.ToJsonString());
        return run;
    }

    private static string Request(string procedure, string? service = "", bool force = false, string? extra = null) =>
        Request(TargetUnderTest.Supervisor, procedure, service, force, extra);

    private static string Request(TargetUnderTest target, string procedure, string? service = "", bool force = false, string? extra = null) =>
        Request(target.Name, procedure, service, force, extra);

    private static string Request(string target, string procedure, string? service, bool force, string? extra)
    {
        string serviceField = string.IsNullOrEmpty(service) ? "" : $"\"service\":\"{service}\",";
        return $$"""{"target":"{{target}}","procedure":"{{procedure}}",{{serviceField}}"reason":"End-to-end test","requestedBy":"e2e-tests","force":{{(force ? "true" : "false")}}{{(extra is null ? "" : "," + extra)}}}""";
    }

    /// <summary>The manager's starts and stops contain <paramref name="expected"/> in this order (others may come between).</summary>
    private static void AssertInOrder(IReadOnlyList<string> events, params string[] expected)
    {
        int at = 0;
        foreach (string marker in expected)
        {
            int found = events.Skip(at).ToList().IndexOf(marker);
            Assert.True(found >= 0, $"'{marker}' does not follow the earlier events in the manager's log: {string.Join(", ", events)}");
            at += found + 1;
        }
    }

    /// <summary>Two clients in a loop, each request on a new connection: every answer other than 200 counts as failed.</summary>
    private static async Task<(int Ok, int Failed)> HammerAsync(Uri url, CancellationToken stop)
    {
        int ok = 0, failed = 0;
        async Task LoopAsync()
        {
            using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero }) { Timeout = TimeSpan.FromSeconds(5) };
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using HttpResponseMessage response = await http.GetAsync(url, CancellationToken.None);
                    _ = response.StatusCode == HttpStatusCode.OK ? Interlocked.Increment(ref ok) : Interlocked.Increment(ref failed);
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref failed);
                }
            }
        }

        var clock = Stopwatch.StartNew();
        await Task.WhenAll(LoopAsync(), LoopAsync());
        return (ok, failed);
    }
}
