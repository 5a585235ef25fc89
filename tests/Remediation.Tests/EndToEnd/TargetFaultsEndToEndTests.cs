using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Remediation.Tests.Fixture;
using Remediation.Tests.Ssh;
using Xunit;
using Xunit.Abstractions;

namespace Remediation.Tests.EndToEnd;

/// <summary>
/// Faults of the target injected under a real run (issue "Faults and recovery"): each run ends in a state that says
/// what happened, its failure names the target, the step and what to do, nothing is left half-done that a retry
/// would make worse, and the record and restart log are filed.
/// </summary>
[Collection(TargetHostCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class TargetFaultsEndToEndTests : IAsyncLifetime
{
    private const string SudoersDropIn = "/etc/sudoers.d/remediation";
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(120);
    private readonly TargetHostFixture _fixture;
    private readonly ITestOutputHelper _output;
    private readonly RestartLogBlobs _blobs;
    private (string Path, string Text)? _sudoersBackup;

    public TargetFaultsEndToEndTests(TargetHostFixture fixture, ITestOutputHelper output)
    {
        _fixture = fixture;
        _output = output;
        _blobs = new RestartLogBlobs(fixture.Facts.StorageConnectionString);
    }

    public Task InitializeAsync() => _fixture.RestoreBaselineAsync();

    public async Task DisposeAsync()
    {
        if (_sudoersBackup is { } backup)
        {
            await File.WriteAllTextAsync(backup.Path, backup.Text);
        }

        await _fixture.RestoreBaselineAsync();
    }

    [Theory]
    [MemberData(nameof(TargetUnderTest.Both), MemberType = typeof(TargetUnderTest))]
    public async Task RestartService_PostgresqlDownEvenWithForce_TouchesNothingAndNamesTheProcedureThatHelps(string targetName)
    {
        TargetUnderTest target = _fixture.Target(targetName);
        await target.ControlAsync("stop", "postgresql");
        int? odooPid = await target.GetPidAsync("odoo");
        string mark = await target.MarkAsync();
        await using ServerProcess server = await StartServerAsync();
        using var api = new RemediationApiClient(server.BaseAddress);

        (string id, JsonNode run) = await RunAsync(api, EndToEndServer.RestartRequest(force: true, target: target.Name));

        Assert.Equal("Failed", run["runtimeStatus"]!.GetValue<string>());
        Assert.Equal(odooPid, await target.GetPidAsync("odoo"));
        Assert.Equal(0, await target.CountStartsAsync("odoo", mark));
        Assert.Equal(target.StoppedState, await target.GetStateAsync("postgresql"));
        JsonNode result = run["result"]!;
        Assert.Equal("Failed", result["outcome"]!.GetValue<string>());
        Assert.Contains($"odoo depends on postgresql ({target.StoppedState}", result["resolution"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("restart-postgresql", result["resolution"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(target.Name, run["failure"]!.GetValue<string>(), StringComparison.Ordinal);
        await AssertFiledAsync(id);
    }

    [Theory]
    [MemberData(nameof(TargetUnderTest.Both), MemberType = typeof(TargetUnderTest))]
    public async Task RestartService_OdooRefusesToStart_StopsWaitingOnFatalQuotesItsLogAndEscalates(string targetName)
    {
        TargetUnderTest target = _fixture.Target(targetName);
        await using ServerProcess server = await StartServerAsync();
        using var api = new RemediationApiClient(server.BaseAddress);
        target.SetKnob("refuse-start");

        (string id, JsonNode run) = await RunAsync(api, EndToEndServer.RestartRequest(target: target.Name));

        Assert.Equal("Failed", run["runtimeStatus"]!.GetValue<string>());
        JsonNode result = run["result"]!;
        Assert.Equal("Failed", result["outcome"]!.GetValue<string>());
        Assert.True(result["forcePathTaken"]!.GetValue<bool>());
        string issues = result["issues"]!.ToJsonString();
        Assert.Contains($"last lines of {_fixture.Facts.OdooLog}", issues, StringComparison.Ordinal);
        Assert.Contains(result["followUpActions"]!.AsArray(), f => f!.GetValue<string>().StartsWith("Escalate", StringComparison.Ordinal));

        // The target is left as the record says: Odoo is not running, and the record does not claim a new PID.
        Assert.False(await target.IsRunningAsync("odoo"), await target.GetStateAsync("odoo"));
        JsonNode odoo = result["changes"]!.AsArray().First(c => c!["service"]!.GetValue<string>() == "odoo")!;
        Assert.Null(odoo["pidAfter"]?.GetValue<int?>());

        // No readiness wait polled out its timeout once supervisor had said FATAL.
        foreach (JsonNode? step in run["progress"]!["steps"]!.AsArray())
        {
            _output.WriteLine($"{step!["name"]}: {step["status"]} in {step["durationMs"]} ms");
        }

        await AssertFiledAsync(id);
    }

    [Fact]
    public async Task RestartService_SshdDown_FailsAtThePreChecksNamingTheTargetAndChangesNothing()
    {
        using var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        int port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();   // nothing listens there now: connection refused, as with sshd stopped
        long supervisorLog = _fixture.SupervisorLogLength();
        await using ServerProcess server = await StartServerAsync(port);
        using var api = new RemediationApiClient(server.BaseAddress);

        (string id, JsonNode run) = await RunAsync(api, EndToEndServer.RestartRequest());

        Assert.Equal("Failed", run["runtimeStatus"]!.GetValue<string>());
        string failure = run["failure"]!.GetValue<string>();
        Assert.Contains("Pre-restart checks failed", failure, StringComparison.Ordinal);
        Assert.Contains("demo", failure, StringComparison.Ordinal);
        Assert.Equal(0, _fixture.CountSupervisorSpawns("odoo", supervisorLog));
        Assert.Contains(run["result"]!["followUpActions"]!.AsArray(), f => f!.GetValue<string>().StartsWith("Escalate", StringComparison.Ordinal));
        await AssertFiledAsync(id);
    }

    [Fact]
    public async Task RestartService_TargetNeverAnswersSsh_TimesOutAtThePreChecksAndChangesNothing()
    {
        // Accepts TCP connections and never says a word: what a target behind a dead route or a hung sshd looks like.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var held = new List<TcpClient>();
        using var stop = new CancellationTokenSource();
        Task accepting = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                held.Add(await silent.AcceptTcpClientAsync(stop.Token));
            }
        });
        long supervisorLog = _fixture.SupervisorLogLength();
        await using ServerProcess server = await StartServerAsync(((IPEndPoint)silent.LocalEndpoint).Port, new Dictionary<string, string> { ["Remediation:Ssh:ConnectTimeout"] = "00:00:02" });
        using var api = new RemediationApiClient(server.BaseAddress);

        (string id, JsonNode run) = await RunAsync(api, EndToEndServer.RestartRequest());

        await stop.CancelAsync();
        Assert.Equal("Failed", run["runtimeStatus"]!.GetValue<string>());
        Assert.Contains("Pre-restart checks failed", run["failure"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, _fixture.CountSupervisorSpawns("odoo", supervisorLog));
        Assert.True(held.Count >= 3, $"the unreachable target was tried {held.Count} time(s); the retry policy makes 3 attempts");
        await AssertFiledAsync(id);
        held.ForEach(c => c.Dispose());
    }

    [Theory]
    [MemberData(nameof(TargetUnderTest.Both), MemberType = typeof(TargetUnderTest))]
    public async Task RestartService_SudoRefusesTheRestart_FailsTheStepWithoutTheForcePathAndSaysWhatToAdd(string targetName)
    {
        TargetUnderTest target = _fixture.Target(targetName);
        string restartCommand = target.ServiceManager == "systemd" ? "/usr/bin/systemctl restart odoo" : "/usr/bin/supervisorctl restart odoo";
        string dropIn = target.OnHost(SudoersDropIn);
        string original = await File.ReadAllTextAsync(dropIn);
        _sudoersBackup = (dropIn, original);
        string withoutRestart = string.Join('\n', original.Split('\n').Where(l => !l.Contains(restartCommand, StringComparison.Ordinal)));
        Assert.NotEqual(original, withoutRestart);
        await File.WriteAllTextAsync(dropIn, withoutRestart);
        int? odooPid = await target.GetPidAsync("odoo");
        string mark = await target.MarkAsync();
        await using ServerProcess server = await StartServerAsync();
        using var api = new RemediationApiClient(server.BaseAddress);

        (string id, JsonNode run) = await RunAsync(api, EndToEndServer.RestartRequest(target: target.Name));

        Assert.Equal("Failed", run["runtimeStatus"]!.GetValue<string>());
        string failure = run["failure"]!.GetValue<string>();
        Assert.Contains("Graceful restart failed", failure, StringComparison.Ordinal);
        Assert.Contains("sudo -n " + restartCommand, failure, StringComparison.Ordinal);
        Assert.Contains("sudoers", failure, StringComparison.Ordinal);
        Assert.False(run["result"]!["forcePathTaken"]!.GetValue<bool>());
        Assert.Equal(odooPid, await target.GetPidAsync("odoo"));
        Assert.Equal(0, await target.CountStartsAsync("odoo", mark));
        await AssertFiledAsync(id);
    }

    [Theory]
    [MemberData(nameof(TargetUnderTest.Both), MemberType = typeof(TargetUnderTest))]
    public async Task RestartService_SshCutDuringTheRestart_RetriesAndLeavesOdooRunningOnceRestarted(string targetName)
    {
        TargetUnderTest target = _fixture.Target(targetName);
        using var forwarder = new LoopbackForwarder(_fixture.Facts.SshHost, target.SshPort);
        string mark = await target.MarkAsync();
        await using ServerProcess server = await StartServerAsync(forwarder.Port, target: target.Name);
        using var api = new RemediationApiClient(server.BaseAddress);

        string id = await api.StartAsync(EndToEndServer.RestartRequest(target: target.Name));
        // Cut once the restart is under way: supervisord logs the stop; systemd's journal may show only the start
        // of a restart's new process (its "Stopped" line is not always there by then).
        await target.WaitForEventAsync(mark, ["stopped odoo", "started odoo"], TimeSpan.FromSeconds(60));
        forwarder.DropConnections();
        JsonNode run = await api.WaitUntilFinishedAsync(id, RunTimeout);
        _output.WriteLine(run.ToJsonString());

        Assert.Equal("Completed", run["runtimeStatus"]!.GetValue<string>());
        Assert.True(await target.IsRunningAsync("odoo"));
        Assert.Equal(1, await target.CountStartsAsync("odoo", mark));
        Assert.True(forwarder.Accepted >= 2, "the run should have reconnected after the cut");
        await target.WaitForOdooHealthyAsync(TimeSpan.FromSeconds(5));
        await AssertFiledAsync(id);
    }

    [Theory]
    [MemberData(nameof(TargetUnderTest.Both), MemberType = typeof(TargetUnderTest))]
    public async Task RestartService_PostgresqlStopsWhileOdooStarts_VerificationFailsNamingItAndTheRecordSaysSo(string targetName)
    {
        TargetUnderTest target = _fixture.Target(targetName);
        string mark = await target.MarkAsync();
        // A slow start keeps the new Odoo process from listening for a while: PostgreSQL goes down in that gap, after
        // the pre-checks had seen it running and before the verification looks again.
        target.SetKnob("slow-start", "3");
        await using ServerProcess server = await StartServerAsync(target: target.Name);
        using var api = new RemediationApiClient(server.BaseAddress);

        string id = await api.StartAsync(EndToEndServer.RestartRequest(target: target.Name));
        await target.WaitForEventAsync(mark, ["started odoo"], TimeSpan.FromSeconds(60));
        await target.ControlAsync("stop", "postgresql");
        JsonNode run = await api.WaitUntilFinishedAsync(id, RunTimeout);
        _output.WriteLine(run.ToJsonString());

        Assert.Equal("Failed", run["runtimeStatus"]!.GetValue<string>());
        JsonNode result = run["result"]!;
        Assert.Equal("Failed", result["outcome"]!.GetValue<string>());
        Assert.Equal(1, await target.CountStartsAsync("odoo", mark));
        JsonNode[] failed = [.. result["successCriteria"]!.AsArray().Where(c => c!["status"]!.GetValue<string>() == "Failed").Select(c => c!)];
        _output.WriteLine(string.Join("\n", failed.Select(c => $"{c["name"]}: {c["detail"]}")));
        JsonNode services = Assert.Single(failed, c => c["name"]!.GetValue<string>() == "All services show \"active (running)\" status");
        Assert.Contains("postgresql", services["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(failed, c => c["name"]!.GetValue<string>() == "Database accepting connections");
        // The failure names the target, what failed and what to do: PostgreSQL went down under the run, not by it.
        string failure = run["failure"]!.GetValue<string>();
        Assert.Contains($"restart-service on {target.Name} did not leave a healthy stack", failure, StringComparison.Ordinal);
        Assert.Matches($@"postgresql \({Regex.Escape(target.StoppedState)}.*?\) ran at the pre-checks and went down during the run, which did not touch it", failure);
        Assert.Contains("Next: Escalate to the on-call operator now; Bring PostgreSQL back with restart-postgresql", failure, StringComparison.Ordinal);
        Assert.Contains(result["followUpActions"]!.AsArray(), f => f!.GetValue<string>().StartsWith("Bring PostgreSQL back with restart-postgresql", StringComparison.Ordinal));

        // Nothing was done to PostgreSQL behind the operator's back: it is left as found, and the run says so.
        Assert.Equal(target.StoppedState, await target.GetStateAsync("postgresql"));
        await AssertFiledAsync(id);
    }

    private async Task<ServerProcess> StartServerAsync(int? sshPort = null, IReadOnlyDictionary<string, string>? settings = null, string target = TargetUnderTest.Supervisor)
    {
        string hub = EndToEndServer.NewHub();
        string inventory = EndToEndServer.WriteInventory(_fixture, hub, sshPort is { } port ? i => EndToEndServer.Target(i, target)["sshPort"] = port : null);
        return await EndToEndServer.StartAsync(_fixture, hub, inventory, settings: settings);
    }

    private async Task<(string Id, JsonNode Run)> RunAsync(RemediationApiClient api, string request)
    {
        string id = await api.StartAsync(request);
        JsonNode run = await api.WaitUntilFinishedAsync(id, RunTimeout);
        _output.WriteLine(run.ToJsonString());
        return (id, run);
    }

    private async Task AssertFiledAsync(string id)
    {
        IReadOnlyList<string> artifacts = await _blobs.ListForRunAsync(id);
        Assert.Single(artifacts, a => a.EndsWith(".md", StringComparison.Ordinal));
        Assert.Single(artifacts, a => a.EndsWith(".json", StringComparison.Ordinal));
    }
}
