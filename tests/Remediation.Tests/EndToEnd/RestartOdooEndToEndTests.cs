using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Remediation.Tests.Fixture;
using Xunit;
using Xunit.Abstractions;

namespace Remediation.Tests.EndToEnd;

/// <summary>Runbook §1 through the real server, on the real target host: sshd, sudo, supervisor, PostgreSQL, nginx, Azurite.</summary>
[Collection(TargetHostCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed partial class RestartOdooEndToEndTests : IAsyncLifetime
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(90);
    private readonly TargetHostFixture _fixture;
    private readonly ITestOutputHelper _output;
    private readonly RestartLogBlobs _blobs;

    public RestartOdooEndToEndTests(TargetHostFixture fixture, ITestOutputHelper output)
    {
        _fixture = fixture;
        _output = output;
        _blobs = new RestartLogBlobs(fixture.Facts.StorageConnectionString);
    }

    public Task InitializeAsync() => _fixture.RestoreBaselineAsync();

    public Task DisposeAsync() => _fixture.RestoreBaselineAsync();

    [Theory]
    [MemberData(nameof(TargetUnderTest.Both), MemberType = typeof(TargetUnderTest))]
    public async Task RestartOdoo_HealthyStack_RestartsOnceVerifiesAndFilesRestartLog(string targetName)
    {
        TargetUnderTest target = _fixture.Target(targetName);
        string hub = EndToEndServer.NewHub();
        await using ServerProcess server = await EndToEndServer.StartAsync(_fixture, hub, EndToEndServer.WriteInventory(_fixture, hub));
        using var api = new RemediationApiClient(server.BaseAddress);
        int? pidBefore = await target.GetPidAsync("odoo");
        string mark = await target.MarkAsync();

        (HttpStatusCode status, JsonNode? accepted, Uri? location) = await api.PostAsync(EndToEndServer.RestartRequest(target: target.Name));
        Assert.Equal(HttpStatusCode.Accepted, status);
        string id = accepted!["id"]!.GetValue<string>();
        Assert.Equal($"/api/remediations/{id}", location!.OriginalString);
        JsonNode run = await api.WaitUntilFinishedAsync(id, RunTimeout);
        _output.WriteLine(run.ToJsonString());

        Assert.Equal("Completed", run["runtimeStatus"]!.GetValue<string>());
        JsonNode result = run["result"]!;
        Assert.Equal("Succeeded", result["outcome"]!.GetValue<string>());
        int? pidAfter = await target.GetPidAsync("odoo");
        Assert.NotEqual(pidBefore, pidAfter);
        Assert.Equal(pidBefore, result["changes"]![0]!["pidBefore"]!.GetValue<int>());
        Assert.Equal(pidAfter, result["changes"]![0]!["pidAfter"]!.GetValue<int>());
        Assert.Equal(1, await target.CountStartsAsync("odoo", mark));
        await target.WaitForOdooHealthyAsync(TimeSpan.FromSeconds(5));

        string restartLog = await _blobs.ReadAsync(run["progress"]!["restartLog"]!.GetValue<string>());
        _output.WriteLine(restartLog);
        AssertTemplateFilled(restartLog);
        Assert.Matches($@"\*\*Downtime\*\*: \d+\.\d\d seconds \({Regex.Escape(new Uri(target.OdooUrl, "/web/health").ToString())} polled every 50 ms", restartLog);
        Assert.Contains("**Services Restarted**: Odoo", restartLog, StringComparison.Ordinal);
        Assert.Contains("**Resolution**: Successful", restartLog, StringComparison.Ordinal);
        double downtime = result["downtimeSeconds"]!.GetValue<double>();
        Assert.InRange(downtime, 0.0, 10.0);

        // Unit pre-flight: the fixture's odoo.service stops with TimeoutStopSec=30s, Odoo's limit_time_real is its
        // default 120 s: systemd would SIGKILL requests still running after 30 s. Evidence, not a blocker.
        JsonArray warnings = result["warnings"]!.AsArray();
        JsonNode preChecks = result["steps"]!.AsArray().First(s => s!["name"]!.GetValue<string>() == "Pre-restart checks")!;
        if (target.ServiceManager == "systemd")
        {
            Assert.Contains(warnings, w => w!.GetValue<string>().Contains("TimeoutStopSec=30s is shorter than Odoo's limit_time_real of 120 s", StringComparison.Ordinal));
            Assert.DoesNotContain(warnings, w => w!.GetValue<string>().Contains("KillMode=control-group", StringComparison.Ordinal));
            Assert.Contains(preChecks["details"]!.AsArray(), d => d!.GetValue<string>() == "pre-flight: unit odoo: KillMode=mixed KillSignal=15 TimeoutStopSec=30s; Odoo limit_time_real=120 s (Odoo's default; not set in /etc/odoo/odoo.conf)");
        }
        else
        {
            Assert.DoesNotContain(warnings, w => w!.GetValue<string>().StartsWith("Pre-flight", StringComparison.Ordinal));
        }

        (HttpStatusCode logStatus, string served, string? contentType) = await api.GetRestartLogAsync(id);
        Assert.Equal(HttpStatusCode.OK, logStatus);
        Assert.Equal("text/markdown", contentType);
        Assert.Equal(restartLog, served);

        string record = await _blobs.ReadAsync(run["progress"]!["record"]!.GetValue<string>());
        Assert.Equal(id, JsonNode.Parse(record)!["instanceId"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(TargetUnderTest.Both), MemberType = typeof(TargetUnderTest))]
    public async Task RestartOdoo_ProcessIgnoresSigterm_TakesForcePathAndEndsHealthy(string targetName)
    {
        TargetUnderTest target = _fixture.Target(targetName);
        string hub = EndToEndServer.NewHub();
        string inventory = EndToEndServer.WriteInventory(_fixture, hub, i => EndToEndServer.Service(i, "odoo", target.Name)["gracefulTimeoutSeconds"] = 4);
        await using ServerProcess server = await EndToEndServer.StartAsync(_fixture, hub, inventory);
        using var api = new RemediationApiClient(server.BaseAddress);
        int? pidBefore = await target.GetPidAsync("odoo");
        target.SetKnob("ignore-sigterm");

        string id = await api.StartAsync(EndToEndServer.RestartRequest(target: target.Name));
        JsonNode run = await api.WaitUntilFinishedAsync(id, RunTimeout);
        _output.WriteLine(run.ToJsonString());

        Assert.Equal("Completed", run["runtimeStatus"]!.GetValue<string>());
        JsonNode result = run["result"]!;
        Assert.True(result["forcePathTaken"]!.GetValue<bool>());
        Assert.StartsWith("Successful — force restart", result["resolution"]!.GetValue<string>(), StringComparison.Ordinal);
        JsonArray steps = result["steps"]!.AsArray();
        JsonNode graceful = steps.First(s => s!["name"]!.GetValue<string>() == "Graceful restart")!;
        Assert.Equal("Failed", graceful["status"]!.GetValue<string>());
        JsonNode kill = steps.First(s => s!["name"]!.GetValue<string>() == "Force restart: kill leftover processes")!;
        Assert.Contains($"killed 1 leftover odoo-bin process(es) of user odoo: {pidBefore}", kill["summary"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(result["issues"]!.AsArray(), i => i!.GetValue<string>().StartsWith("Graceful restart of odoo failed", StringComparison.Ordinal));
        int? pidAfter = await target.GetPidAsync("odoo");
        Assert.NotNull(pidAfter);
        Assert.NotEqual(pidBefore, pidAfter);
        await target.WaitForOdooHealthyAsync(TimeSpan.FromSeconds(5));

        // The downtime is measured as on a graceful restart: from the probe's last answer to its first one again.
        JsonNode odoo = result["changes"]![0]!;
        Assert.True(odoo["forcePathTaken"]!.GetValue<bool>(), odoo.ToJsonString());
        _output.WriteLine($"{target.Name}: force-path downtime {odoo["downtimeSeconds"]} s");
        Assert.InRange(odoo["downtimeSeconds"]!.GetValue<double>(), 0.001, 60.0);

        string restartLog = await _blobs.ReadAsync(run["progress"]!["restartLog"]!.GetValue<string>());
        AssertTemplateFilled(restartLog);
        Assert.Contains("force path taken: yes", restartLog, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TargetUnderTest.Both), MemberType = typeof(TargetUnderTest))]
    public async Task RestartOdoo_WrongPinnedHostKey_FailsWithMismatchAndRunsNothingOnTarget(string targetName)
    {
        TargetUnderTest target = _fixture.Target(targetName);
        string hub = EndToEndServer.NewHub();
        const string wrongPin = "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        string inventory = EndToEndServer.WriteInventory(_fixture, hub, i => EndToEndServer.Target(i, target.Name)["hostKey"] = wrongPin);
        await using ServerProcess server = await EndToEndServer.StartAsync(_fixture, hub, inventory);
        using var api = new RemediationApiClient(server.BaseAddress);
        int? pidBefore = await target.GetPidAsync("odoo");
        string sshdMark = await target.SshdLogMarkAsync();

        string id = await api.StartAsync(EndToEndServer.RestartRequest(force: true, target: target.Name));
        JsonNode run = await api.WaitUntilFinishedAsync(id, RunTimeout);
        _output.WriteLine(run.ToJsonString());

        Assert.Equal("Failed", run["runtimeStatus"]!.GetValue<string>());
        string failure = run["failure"]!.GetValue<string>();
        Assert.Contains($"Host key for {target.Name} (127.0.0.1:{target.SshPort}) is " + target.HostKey, failure, StringComparison.Ordinal);
        Assert.Contains("not the pinned " + wrongPin, failure, StringComparison.Ordinal);
        Assert.Equal(pidBefore, await target.GetPidAsync("odoo"));

        // sshd logs every accepted key; a refused host key means we never even authenticated.
        string sshdLines = await target.SshdLogSinceAsync(sshdMark);
        Assert.DoesNotContain("Accepted publickey", sshdLines, StringComparison.Ordinal);

        JsonNode progress = run["progress"]!;
        Assert.Equal("Failed", progress["outcome"]!.GetValue<string>());
        string restartLog = await _blobs.ReadAsync(progress["restartLog"]!.GetValue<string>());
        Assert.Contains($"**Resolution**: Failed — Pre-restart checks failed: Host key for {target.Name}", restartLog, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TargetUnderTest.Both), MemberType = typeof(TargetUnderTest))]
    public async Task RestartOdoo_ActiveUsersWithoutForce_DefersAndRestartsNothing(string targetName)
    {
        TargetUnderTest target = _fixture.Target(targetName);
        string hub = EndToEndServer.NewHub();
        await using ServerProcess server = await EndToEndServer.StartAsync(_fixture, hub, EndToEndServer.WriteInventory(_fixture, hub));
        using var api = new RemediationApiClient(server.BaseAddress);
        await using (var db = await target.OpenOdooDatabaseAsync())
        {
            await using var insert = db.CreateCommand();
            // Two users' logins as Odoo records them (res.users._update_last_login): create_uid = the user, naive UTC.
            insert.CommandText = """
                INSERT INTO res_users_log (create_uid, create_date, write_uid, write_date)
                SELECT id, (now() AT TIME ZONE 'UTC'), id, (now() AT TIME ZONE 'UTC') FROM res_users WHERE id IN (1, 2)
                """;
            await insert.ExecuteNonQueryAsync();
        }

        int? pidBefore = await target.GetPidAsync("odoo");
        string mark = await target.MarkAsync();

        string id = await api.StartAsync(EndToEndServer.RestartRequest(target: target.Name));
        JsonNode run = await api.WaitUntilFinishedAsync(id, RunTimeout);
        _output.WriteLine(run.ToJsonString());

        Assert.Equal("Completed", run["runtimeStatus"]!.GetValue<string>());
        JsonNode result = run["result"]!;
        Assert.Equal("Deferred", result["outcome"]!.GetValue<string>());
        Assert.Contains("2 active user(s) in the last 5 minutes", result["resolution"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(pidBefore, await target.GetPidAsync("odoo"));
        Assert.Equal(0, await target.CountStartsAsync("odoo", mark));
        string restartLog = await _blobs.ReadAsync(run["progress"]!["restartLog"]!.GetValue<string>());
        AssertTemplateFilled(restartLog);
        Assert.Contains("**Services Restarted**: None — Odoo restart deferred", restartLog, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TargetUnderTest.Both), MemberType = typeof(TargetUnderTest))]
    public async Task ServerKilledDuringRestart_RunResumesAndRestartsExactlyOnce(string targetName)
    {
        TargetUnderTest target = _fixture.Target(targetName);
        string hub = EndToEndServer.NewHub();
        string inventory = EndToEndServer.WriteInventory(_fixture, hub);
        int? pidBefore = await target.GetPidAsync("odoo");
        string mark = await target.MarkAsync();

        // A slow start keeps the restart activity busy (watching readiness) for seconds after the restart itself.
        target.SetKnob("slow-start", "4");
        string id;
        ServerProcess first = await EndToEndServer.StartAsync(_fixture, hub, inventory, workerId: "crash-test");
        try
        {
            using var api = new RemediationApiClient(first.BaseAddress);
            id = await api.StartAsync(EndToEndServer.RestartRequest(force: true, target: target.Name));
            await api.WaitForPhaseAsync(id, "Graceful restart", RunTimeout);
            await WaitForNewPidAsync(target, pidBefore, TimeSpan.FromSeconds(30));
        }
        finally
        {
            await first.KillAsync();
            _output.WriteLine("--- first server (killed) ---\n" + first.Output);
            await first.DisposeAsync();
        }

        // The same worker id (a restarted host): its partitions are its own at once; the interrupted activity message
        // reappears one visibility timeout after its last renewal.
        await using ServerProcess second = await EndToEndServer.StartAsync(_fixture, hub, inventory, workerId: "crash-test");
        var sinceUp = System.Diagnostics.Stopwatch.StartNew();
        using var api2 = new RemediationApiClient(second.BaseAddress);
        await api2.WaitUntilPastPhaseAsync(id, "Graceful restart", TimeSpan.FromSeconds(60));
        TimeSpan resumedAfter = sinceUp.Elapsed;
        JsonNode run = await api2.WaitUntilFinishedAsync(id, TimeSpan.FromSeconds(120));
        _output.WriteLine($"server up -> next step: {resumedAfter.TotalSeconds:0.0} s");
        _output.WriteLine(run.ToJsonString());

        Assert.True(resumedAfter < TimeSpan.FromSeconds(15), $"the run resumed {resumedAfter.TotalSeconds:0.0} s after the server was up");

        Assert.Equal("Completed", run["runtimeStatus"]!.GetValue<string>());
        Assert.Equal(1, await target.CountStartsAsync("odoo", mark));
        Assert.NotEqual(pidBefore, await target.GetPidAsync("odoo"));
        IReadOnlyList<string> artifacts = await _blobs.ListForRunAsync(id);
        Assert.Single(artifacts, a => a.EndsWith(".md", StringComparison.Ordinal));
        Assert.Single(artifacts, a => a.EndsWith(".json", StringComparison.Ordinal));
        string restartLog = await _blobs.ReadAsync(run["progress"]!["restartLog"]!.GetValue<string>());
        AssertTemplateFilled(restartLog);

        // The watch that measured the outage died with the first server: the downtime comes from the target's own
        // evidence (the service manager's stop and start, the new process's "listening" line), at least the slow start.
        JsonNode odoo = run["result"]!["changes"]!.AsArray().First(c => c!["service"]!.GetValue<string>() == "odoo")!;
        string method = odoo["downtimeMethod"]!.GetValue<string>();
        _output.WriteLine($"downtime {odoo["downtimeSeconds"]} s: {method}");
        Assert.StartsWith("from target evidence: ", method, StringComparison.Ordinal);
        Assert.Contains("to the new process listening", method, StringComparison.Ordinal);
        Assert.InRange(odoo["downtimeSeconds"]!.GetValue<double>(), 3.9, 60.0);
        Assert.Contains("from target evidence", restartLog, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostRemediation_BadInput_AnswersWithStatusAndMessage()
    {
        string hub = EndToEndServer.NewHub();
        await using ServerProcess server = await EndToEndServer.StartAsync(_fixture, hub, EndToEndServer.WriteInventory(_fixture, hub));
        using var api = new RemediationApiClient(server.BaseAddress);
        long supervisorLog = _fixture.SupervisorLogLength();

        (string Body, HttpStatusCode Status, string Message)[] cases =
        [
            ("{\"target\": \"demo\", \"procedure\": ", HttpStatusCode.BadRequest, "not valid JSON"),
            ("{\"target\":\"nowhere\",\"procedure\":\"restart-service\",\"service\":\"odoo\"}", HttpStatusCode.NotFound, "Target 'nowhere' is not in the inventory"),
            ("{\"target\":\"demo\",\"procedure\":\"format-disk\",\"service\":\"odoo\"}", (HttpStatusCode)422, "'format-disk' is not a known procedure"),
            ("{\"target\":\"demo\",\"procedure\":\"restart-service\",\"service\":\"odoo;reboot\"}", (HttpStatusCode)422, "is not a valid service name"),
        ];
        foreach ((string body, HttpStatusCode expected, string message) in cases)
        {
            (HttpStatusCode status, JsonNode? problem, Uri? location) = await api.PostAsync(body);

            Assert.Equal(expected, status);
            Assert.Null(location);
            Assert.Contains(message, problem!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        using HttpResponseMessage missing = await http.GetAsync(new Uri("/api/remediations/restart-service.demo.odoo.nope", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(0, _fixture.CountSupervisorSpawns("odoo", supervisorLog));
    }

    [Fact]
    public async Task ApiWithKeys_CallerWithoutValidKey_Gets401AndADryRunWithKeyRestartsNothing()
    {
        string hub = EndToEndServer.NewHub();
        const string key = "e2e-portal-key-0123456789abcdef0123456789";
        string keysFile = Path.Combine(_fixture.Facts.StateDirectory, "e2e", hub + ".keys");
        Directory.CreateDirectory(Path.GetDirectoryName(keysFile)!);
        await File.WriteAllTextAsync(keysFile, "portal:" + key + "\n");
        await using ServerProcess server = await EndToEndServer.StartAsync(_fixture, hub, EndToEndServer.WriteInventory(_fixture, hub), keysFile: keysFile);
        int? pidBefore = await TargetHostFixture.GetSupervisorPidAsync("odoo");
        long supervisorLog = _fixture.SupervisorLogLength();

        using var anonymous = new RemediationApiClient(server.BaseAddress);
        using var wrongKey = new RemediationApiClient(server.BaseAddress, "not-the-key");
        (HttpStatusCode noKeyStatus, JsonNode? noKeyProblem, _) = await anonymous.PostAsync(EndToEndServer.RestartRequest());
        (HttpStatusCode wrongKeyStatus, _, _) = await wrongKey.PostAsync(EndToEndServer.RestartRequest());

        Assert.Equal(HttpStatusCode.Unauthorized, noKeyStatus);
        Assert.Contains("Authorization: Bearer", noKeyProblem!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongKeyStatus);

        using var portal = new RemediationApiClient(server.BaseAddress, key);
        string id = await portal.StartAsync(EndToEndServer.RestartRequest().Replace("\"force\":false", "\"force\":true,\"dryRun\":true", StringComparison.Ordinal));
        JsonNode run = await portal.WaitUntilFinishedAsync(id, RunTimeout);

        Assert.Equal("DryRun", run["result"]!["outcome"]!.GetValue<string>());
        Assert.Equal(pidBefore, await TargetHostFixture.GetSupervisorPidAsync("odoo"));
        Assert.Equal(0, _fixture.CountSupervisorSpawns("odoo", supervisorLog));
    }

    private static void AssertTemplateFilled(string restartLog)
    {
        foreach (string field in new[] { "Date", "Performed By", "Reason", "Services Restarted", "Downtime", "Issues Encountered", "Resolution", "Follow-up Actions" })
        {
            Match line = Regex.Match(restartLog, $@"^\*\*{Regex.Escape(field)}\*\*: (.+)$", RegexOptions.Multiline);
            Assert.True(line.Success, $"restart log has no '{field}' line:\n{restartLog}");
            Assert.DoesNotMatch(TemplatePlaceholder(), line.Groups[1].Value);
        }
    }

    private static async Task WaitForNewPidAsync(TargetUnderTest target, int? pidBefore, TimeSpan timeout)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            int? pid = await target.GetPidAsync("odoo");
            if (pid is not null && pid != pidBefore)
            {
                return;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException("odoo was not restarted");
    }

    // The template's own placeholders: "YYYY-MM-DD", "XX seconds", "[...]", "@username".
    [GeneratedRegex(@"YYYY|XX seconds|^\[|@username")]
    private static partial Regex TemplatePlaceholder();
}
