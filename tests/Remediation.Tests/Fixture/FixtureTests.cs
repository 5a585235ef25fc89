using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Npgsql;
using Remediation.Inventory;
using Xunit;

namespace Remediation.Tests.Fixture;

/// <summary>Proves the target-host fixture is real: every part answers as the runbook and the product expect.</summary>
[Collection(TargetHostCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class FixtureTests : IAsyncLifetime
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(15);

    /// <summary>Exactly the commands the product runs through <c>sudo -n</c> (infra/target/sudoers.d/remediation).</summary>
    private readonly TargetHostFixture _fixture;

    public FixtureTests(TargetHostFixture fixture)
    {
        _fixture = fixture;
    }

    public Task InitializeAsync() => _fixture.RestoreBaselineAsync();

    public Task DisposeAsync() => _fixture.RestoreBaselineAsync();

    [Fact]
    public async Task NginxProxy_GetWebHealth_Returns200Pass()
    {
        using HttpResponseMessage response = await _fixture.Http.GetAsync(new Uri(_fixture.Facts.NginxUrl, "/web/health"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("{\"status\": \"pass\"}", await response.Content.ReadAsStringAsync());
        Assert.Equal("nginx", response.Headers.Server.FirstOrDefault()?.Product?.Name);
    }

    [Fact]
    public async Task NginxProxy_GetWeb_RedirectsToLoginPage()
    {
        using HttpResponseMessage redirect = await _fixture.Http.GetAsync(new Uri(_fixture.Facts.NginxUrl, "/web"));
        using HttpResponseMessage login = await _fixture.Http.GetAsync(new Uri(_fixture.Facts.NginxUrl, "/web/login"));

        Assert.Equal(HttpStatusCode.SeeOther, redirect.StatusCode);
        Assert.Equal("/web/login", redirect.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Contains("oe_login_form", await login.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Authenticate_AdminCredentials_WritesUserLogRow()
    {
        long logOffset = _fixture.OdooLogLength();

        using HttpResponseMessage response = await AuthenticateAsync("admin", "admin");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using JsonDocument body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        JsonElement result = body.RootElement.GetProperty("result");
        Assert.Equal(2, result.GetProperty("uid").GetInt32());   // Odoo's base.user_admin; 1 is __system__
        Assert.Equal("odoo_production", result.GetProperty("db").GetString());
        Assert.Equal(1, body.RootElement.GetProperty("id").GetInt32());
        Assert.Equal(1L, await CountActiveUsersAsync());
        await TargetHostFixture.WaitForLogLineAsync(_fixture.Facts.OdooLog, logOffset, "\"POST /web/session/authenticate HTTP/1.0\" 200", Settle);
    }

    [Fact]
    public async Task Authenticate_WrongPassword_ReturnsAccessDeniedAndWritesNoRow()
    {
        using HttpResponseMessage response = await AuthenticateAsync("admin", "test");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using JsonDocument body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        JsonElement error = body.RootElement.GetProperty("error");
        Assert.Equal(200, error.GetProperty("code").GetInt32());
        Assert.Equal("Odoo Server Error", error.GetProperty("message").GetString());
        Assert.Equal("odoo.exceptions.AccessDenied", error.GetProperty("data").GetProperty("name").GetString());
        Assert.Equal("Access Denied", error.GetProperty("data").GetProperty("message").GetString());
        Assert.Equal(0L, await CountActiveUsersAsync());
    }

    [Fact]
    public async Task Authenticate_MalformedBody_Returns400()
    {
        using var content = new StringContent("not json", System.Text.Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await _fixture.Http.PostAsync(new Uri(_fixture.Facts.NginxUrl, "/web/session/authenticate"), content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task RunbookQueries_OnOdooSchema_FailWithUndefinedColumnAsOnRealOdoo()
    {
        // The runbook's two Odoo queries, verbatim: real Odoo 16.0-18.0 has no res_users_log.res_id and no ir_cron.name.
        await using NpgsqlConnection monitoring = await _fixture.OpenMonitoringDatabaseAsync();
        await using var logins = new NpgsqlCommand("SELECT count(DISTINCT res_id) FROM res_users_log WHERE create_date > now() - interval '5 minutes';", monitoring);
        PostgresException noResId = await Assert.ThrowsAsync<PostgresException>(() => logins.ExecuteScalarAsync());
        await using var crons = new NpgsqlCommand("SELECT name, state FROM ir_cron WHERE active = true AND nextcall < now();", monitoring);
        PostgresException noName = await Assert.ThrowsAsync<PostgresException>(() => crons.ExecuteScalarAsync());

        await using var activity = new NpgsqlCommand("SELECT count(*) as total, state FROM pg_stat_activity GROUP BY state;", monitoring);
        await using (NpgsqlDataReader reader = await activity.ExecuteReaderAsync())
        {
            Assert.True(await reader.ReadAsync());
        }

        // The role may read res_users' id and login (to leave the login-check account out), never its passwords.
        await using var loginsOnly = new NpgsqlCommand("SELECT count(login) FROM res_users", monitoring);
        Assert.True((long)(await loginsOnly.ExecuteScalarAsync())! >= 2);
        await using var passwords = new NpgsqlCommand("SELECT password FROM res_users", monitoring);
        PostgresException denied = await Assert.ThrowsAsync<PostgresException>(() => passwords.ExecuteScalarAsync());

        Assert.Equal(PostgresErrorCodes.UndefinedColumn, noResId.SqlState);
        Assert.Equal(PostgresErrorCodes.UndefinedColumn, noName.SqlState);
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, denied.SqlState);
    }

    [Fact]
    public async Task SshSudo_ListedSupervisorStatus_Succeeds()
    {
        LocalCommandResult result = await _fixture.RunOverSshAsync("sudo -n /usr/bin/supervisorctl status odoo");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(@"^odoo\s+RUNNING\s+pid \d+", result.StandardOutput);
    }

    [Fact]
    public async Task SshSudo_SupervisorStatusAll_ListsEveryProgramInOneCall()
    {
        LocalCommandResult result = await _fixture.RunOverSshAsync("sudo -n /usr/bin/supervisorctl status all");

        Assert.True(result.ExitCode == 0, result.ToString());
        foreach (string program in TargetHostFixture.Programs)
        {
            Assert.Matches($@"(?m)^{program}\s+RUNNING\s+pid \d+", result.StandardOutput);
        }
    }

    [Theory]
    [InlineData("/usr/bin/supervisorctl restart sshd-not-listed")]
    [InlineData("/bin/cat /etc/shadow")]
    [InlineData("/usr/bin/supervisorctl status odoo nginx")]
    [InlineData("/usr/bin/supervisorctl status")]
    [InlineData("/usr/bin/supervisorctl status all odoo")]
    [InlineData("/usr/bin/pkill -KILL -f odoo-bin")]
    public async Task SshSudo_UnlistedCommand_IsDenied(string command)
    {
        LocalCommandResult result = await _fixture.RunOverSshAsync("sudo -n " + command);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("sudo: a password is required", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SshSudo_ListOwnPrivileges_ShowsExactlyTheProductCommands()
    {
        LocalCommandResult result = await _fixture.RunOverSshAsync("sudo -n -l");

        Assert.True(result.ExitCode == 0, result.ToString());
        string[] lines = result.StandardOutput.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        string grant = Assert.Single(lines, l => l.StartsWith('('));
        Assert.StartsWith("(root) NOPASSWD: ", grant, StringComparison.Ordinal);
        string[] commands = grant["(root) NOPASSWD: ".Length..].Split(", ");
        IEnumerable<string> shipped = Infra.SudoersDropInTests.AllowedCommands(File.ReadAllText(Path.Combine(_fixture.RepositoryRoot, "infra", "target", "sudoers.d", "remediation")));
        Assert.Equal(shipped.Order(StringComparer.Ordinal), commands.Select(c => c.Replace(" \"\"", "", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Ssh_ScannedHostKey_MatchesFixtureFingerprint()
    {
        LocalCommandResult scan = await LocalCommand.RunAsync(
            "/usr/bin/ssh-keyscan", ["-p", _fixture.Facts.SshPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "-t", "ed25519", _fixture.Facts.SshHost], TimeSpan.FromSeconds(30));
        string keyFile = Path.Combine(Path.GetTempPath(), $"fixture-hostkey-{Guid.NewGuid():N}.pub");
        string line = Assert.Single(scan.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => !l.StartsWith('#'));
        await File.WriteAllTextAsync(keyFile, line + "\n");
        try
        {
            LocalCommandResult fingerprint = await LocalCommand.RunAsync("/usr/bin/ssh-keygen", ["-lf", keyFile], TimeSpan.FromSeconds(30));

            Assert.Equal(_fixture.Facts.HostKey, fingerprint.StandardOutput.Split(' ')[1]);
        }
        finally
        {
            File.Delete(keyFile);
        }
    }

    [Fact]
    public async Task Ssh_ReadLogsAsOps_AllowedThroughAdmGroup()
    {
        LocalCommandResult result = await _fixture.RunOverSshAsync(
            $"id -nG && tail -n 1 {_fixture.Facts.OdooLog} {_fixture.Facts.PgLog} {_fixture.Facts.NginxErrorLog} >/dev/null && head -n 1 /etc/odoo/odoo.conf >/dev/null");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("adm", result.StandardOutput.Split(' ', '\n'));
    }

    [Fact]
    public async Task IgnoreSigtermKnob_KillTerm_LeavesProcessRunning()
    {
        int pid = await GetOdooPidAsync();
        long logOffset = _fixture.OdooLogLength();
        _fixture.SetKnob("ignore-sigterm");

        LocalCommandResult kill = await LocalCommand.RunAsync("/bin/kill", ["-TERM", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)], Settle);
        string warning = await TargetHostFixture.WaitForLogLineAsync(_fixture.Facts.OdooLog, logOffset, "ignoring SIGTERM (test knob)", Settle);

        Assert.Equal(0, kill.ExitCode);
        Assert.Contains(" WARNING ", warning, StringComparison.Ordinal);
        Assert.True(Directory.Exists($"/proc/{pid}"), "the stand-in exited although it was told to ignore SIGTERM");
        Assert.Equal(pid, await TargetHostFixture.GetSupervisorPidAsync("odoo"));
        await _fixture.WaitForOdooHealthyAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task KillTerm_WithoutKnob_SupervisorRespawnsOnce()
    {
        int pid = await GetOdooPidAsync();
        long logOffset = _fixture.OdooLogLength();
        long supervisorOffset = _fixture.SupervisorLogLength();

        await LocalCommand.RunAsync("/bin/kill", ["-TERM", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)], Settle);
        await TargetHostFixture.WaitForLogLineAsync(_fixture.Facts.OdooLog, logOffset, "Initiating shutdown", Settle);
        int newPid = await WaitForNewOdooPidAsync(pid, Settle);
        await _fixture.WaitForOdooHealthyAsync(Settle);

        Assert.NotEqual(pid, newPid);
        Assert.Equal(1, _fixture.CountSupervisorSpawns("odoo", supervisorOffset));
        Assert.Equal(0, _fixture.CountSupervisorSpawns("nginx", supervisorOffset));
    }

    [Fact]
    public async Task RefuseStartKnob_SupervisorctlStart_FailsWithSpawnError()
    {
        LocalCommandResult stop = await TargetHostFixture.SupervisorCtlAsync("stop", "odoo");
        long logOffset = _fixture.OdooLogLength();
        _fixture.SetKnob("refuse-start");

        LocalCommandResult start = await TargetHostFixture.SupervisorCtlAsync("start", "odoo");
        string critical = await TargetHostFixture.WaitForLogLineAsync(_fixture.Facts.OdooLog, logOffset, "Failed to start: refused by test knob", Settle);

        Assert.True(stop.ExitCode == 0, stop.ToString());
        Assert.Equal(7, start.ExitCode);
        Assert.Contains("spawn error", start.Output, StringComparison.Ordinal);
        Assert.Contains(" CRITICAL odoo_production odoo.service.server: ", critical, StringComparison.Ordinal);
        Assert.Contains(await TargetHostFixture.GetSupervisorStateAsync("odoo"), new[] { "BACKOFF", "STARTING", "FATAL" });
    }

    [Fact]
    public async Task SlowStartKnob_SupervisorctlRestart_ReportsStartedBeforeHealthy()
    {
        _fixture.SetKnob("slow-start", "3");
        var clock = Stopwatch.StartNew();

        LocalCommandResult restart = await TargetHostFixture.SupervisorCtlAsync("restart", "odoo");
        bool listeningRightAfterStarted = await IsListeningAsync(_fixture.Facts.OdooUrl);
        await _fixture.WaitForOdooHealthyAsync(Settle);

        Assert.True(restart.ExitCode == 0, restart.ToString());
        Assert.Contains("odoo: started", restart.StandardOutput, StringComparison.Ordinal);
        Assert.False(listeningRightAfterStarted, "supervisor said 'started' and the stand-in already listened: slow-start did not act");
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(3), $"healthy after {clock.Elapsed}");
    }

    [Fact]
    public async Task ErrorLinesKnob_Restart_WritesThatManyErrorLines()
    {
        _fixture.SetKnob("error-lines", "3");
        long logOffset = _fixture.OdooLogLength();

        LocalCommandResult restart = await TargetHostFixture.SupervisorCtlAsync("restart", "odoo");
        await _fixture.WaitForOdooHealthyAsync(Settle);

        Assert.True(restart.ExitCode == 0, restart.ToString());
        string[] errors = TargetHostFixture.ReadFrom(_fixture.Facts.OdooLog, logOffset).Split('\n')
            .Where(l => l.Contains(" ERROR odoo_production odoo.modules.registry: Failed to load registry (test knob)", StringComparison.Ordinal))
            .ToArray();
        Assert.Equal(3, errors.Length);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3} \d+ ERROR ", errors[0]);
    }

    [Fact]
    public async Task Inventory_LoadedByProductLoader_PinsFixtureHostKey()
    {
        Remediation.Inventory.Inventory inventory = InventoryLoader.Load(_fixture.Facts.InventoryFile);

        Assert.Equal(["demo", "demo-systemd"], inventory.Targets.Select(t => t.Name).Order(StringComparer.Ordinal));
        TargetDefinition target = inventory.Targets.Single(t => t.Name == "demo");
        Assert.Equal(_fixture.Facts.HostKey, target.HostKey);
        Assert.Equal(ServiceManagerKind.Supervisor, target.ServiceManager);
        Assert.Equal(["postgresql", "odoo", "nginx"], target.Services.Select(s => s.Name));
        Assert.True(File.Exists(target.PrivateKeyFile));

        TargetDefinition systemd = inventory.Targets.Single(t => t.Name == "demo-systemd");
        Assert.Equal(_fixture.Facts.SystemdHostKey, systemd.HostKey);
        Assert.Equal(_fixture.Facts.SystemdSshPort, systemd.SshPort);
        Assert.Equal(ServiceManagerKind.Systemd, systemd.ServiceManager);
        Assert.Equal(["postgresql", "odoo", "nginx"], systemd.Services.Select(s => s.Name));
    }

    private Task<HttpResponseMessage> AuthenticateAsync(string login, string password) =>
        _fixture.Http.PostAsJsonAsync(
            new Uri(_fixture.Facts.NginxUrl, "/web/session/authenticate"),
            new { jsonrpc = "2.0", method = "call", @params = new { db = "odoo_production", login, password }, id = 1 });

    private async Task<long> CountActiveUsersAsync()
    {
        await using NpgsqlConnection connection = await _fixture.OpenMonitoringDatabaseAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(DISTINCT create_uid) FROM res_users_log WHERE create_date > (now() AT TIME ZONE 'UTC') - interval '5 minutes';", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<int> GetOdooPidAsync() =>
        await TargetHostFixture.GetSupervisorPidAsync("odoo") ?? throw new InvalidOperationException("odoo is not RUNNING after the baseline was restored");

    private static async Task<int> WaitForNewOdooPidAsync(int oldPid, TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await TargetHostFixture.GetSupervisorStateAsync("odoo") == "RUNNING"
                && await TargetHostFixture.GetSupervisorPidAsync("odoo") is int pid && pid != oldPid)
            {
                return pid;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"odoo was not respawned within {timeout.TotalSeconds:0} s");
            }

            await Task.Delay(100);
        }
    }

    private static async Task<bool> IsListeningAsync(Uri url)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(url.Host, url.Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
