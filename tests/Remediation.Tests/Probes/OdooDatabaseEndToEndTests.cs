using System.Net.Http.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Remediation.Activities.Database;
using Remediation.Inventory;
using Remediation.Probes;
using Remediation.Tests.Fixture;
using Remediation.Tests.Ssh;
using Xunit;

namespace Remediation.Tests.Probes;

/// <summary>The runbook's SQL on the fixture's odoo_production, as the monitoring role "remediation".</summary>
[Collection(TargetHostCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class OdooDatabaseEndToEndTests : IDisposable
{
    private readonly TargetHostFixture _fixture;
    private readonly DatabaseEndpoint _endpoint;
    private readonly OdooDatabase _database = new(Options.Create(new OdooDatabaseOptions()), NullLogger<OdooDatabase>.Instance);

    // Sessions are sent by hand: the stand-in's session cookie must be the one of the login under test.
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseCookies = false, PooledConnectionLifetime = TimeSpan.Zero });

    public OdooDatabaseEndToEndTests(TargetHostFixture fixture)
    {
        _fixture = fixture;
        _endpoint = FixtureTarget.From(fixture.Facts).Database!;
    }

    public void Dispose()
    {
        _database.Dispose();
        _http.Dispose();
    }

    [Fact]
    public async Task SelectVersionAsync_Fixture_PostgreSql15()
    {
        // Act
        string version = await _database.SelectVersionAsync(_endpoint, CancellationToken.None);

        // Assert
        Assert.StartsWith("PostgreSQL 15.", version, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("16.0", "cron_name jsonb, numbercall (Odoo 16-like)")]
    [InlineData("17.0", "cron_name varchar, numbercall (Odoo 17-like)")]
    [InlineData("18.0", "cron_name varchar, no numbercall (Odoo 18-like)")]
    public async Task CheckAsync_EachOdooVersionSchema_CountsLoginsAndPresenceAndListsDueCronsByOdoosRule(string version, string shape)
    {
        // Arrange: in that version's scratch database, a login and a presence 30 minutes ago (outside the runbook's
        // window, inside an hour), a cron due by nextcall, one due only by a trigger, and an inactive overdue one.
        string database = ScratchDatabase(version);
        DatabaseEndpoint endpoint = _endpoint with { Name = database };
        string suffix = Guid.NewGuid().ToString("N")[..12];
        await using NpgsqlConnection odoo = await _fixture.OpenOdooDatabaseAsync(database);
        int due = await InsertCronAsync(odoo, version, "remediation test due " + suffix, "- interval '1 minute'", active: true);
        int triggered = await InsertCronAsync(odoo, version, "remediation test triggered " + suffix, "+ interval '1 day'", active: true);
        int inactive = await InsertCronAsync(odoo, version, "remediation test inactive " + suffix, "- interval '1 minute'", active: false);
        await ExecuteAsync(odoo, $"""
            INSERT INTO ir_cron_trigger (cron_id, call_at, create_uid, create_date, write_uid, write_date)
            VALUES ({triggered}, (now() AT TIME ZONE 'UTC') - interval '10 seconds', 1, (now() AT TIME ZONE 'UTC'), 1, (now() AT TIME ZONE 'UTC'));
            INSERT INTO res_users_log (create_uid, create_date, write_uid, write_date)
            VALUES (2, (now() AT TIME ZONE 'UTC') - interval '30 minutes', 2, (now() AT TIME ZONE 'UTC') - interval '30 minutes');
            INSERT INTO bus_presence (user_id, last_poll, last_presence, status)
            VALUES (1, (now() AT TIME ZONE 'UTC') - interval '30 minutes', (now() AT TIME ZONE 'UTC') - interval '30 minutes', 'offline');
            """);
        try
        {
            // Act
            WorkloadReport report = await CheckWorkloadActivity.CheckAsync(_database, endpoint, null, CancellationToken.None);
            OdooSchema schema = await _database.ReadSchemaAsync(endpoint, CancellationToken.None);
            ActiveUsers inHour = await _database.CountActiveUsersAsync(endpoint, schema, TimeSpan.FromHours(1), null, CancellationToken.None);

            // Assert
            Assert.Contains(report.Evidence, e => e.StartsWith("schema: ir_cron: " + shape, StringComparison.Ordinal));
            Assert.Equal(new ActiveUsers(0, 0, 0), report.Users);
            Assert.Equal(new ActiveUsers(1, 1, 2), inHour);
            Assert.Contains(report.DueCrons, c => c.Id == due && c.Name == "remediation test due " + suffix && !c.DueByTrigger);
            Assert.Contains(report.DueCrons, c => c.Id == triggered && c.Name == "remediation test triggered " + suffix && c.DueByTrigger);
            Assert.DoesNotContain(report.DueCrons, c => c.Id == inactive);
            Assert.DoesNotContain(report.DueCrons, c => c.Name == "Mail: Email Queue Manager");
            Assert.Contains(report.Blockers(), b => b.Contains($"remediation test due {suffix} (id {due})", StringComparison.Ordinal));
        }
        finally
        {
            await ExecuteAsync(odoo, $"""
                DELETE FROM res_users_log; DELETE FROM bus_presence;
                DELETE FROM ir_cron_trigger WHERE cron_id IN ({due}, {triggered}, {inactive});
                DELETE FROM ir_cron WHERE id IN ({due}, {triggered}, {inactive});
                """);
        }
    }

    [Theory]
    [InlineData("16.0")]
    [InlineData("17.0")]
    [InlineData("18.0")]
    public async Task ListRunningCronsAsync_CronWorkerHoldsRowLock_ReportedRunningAndBlocks(string version)
    {
        // Arrange: the stand-in plays that version's cron worker on a due job: acquire query, row lock held 4 s.
        string database = ScratchDatabase(version);
        DatabaseEndpoint endpoint = _endpoint with { Name = database };
        string name = "remediation test running " + Guid.NewGuid().ToString("N")[..12];
        await using NpgsqlConnection odoo = await _fixture.OpenOdooDatabaseAsync(database);
        int id = await InsertCronAsync(odoo, version, name, "- interval '1 minute'", active: true);
        _fixture.SetKnob("run-cron", $"{id} 4 {database} {version}");
        try
        {
            // Act: poll (without blocking the worker) until its backend shows the acquire query.
            WorkloadReport report = await CheckWorkloadActivity.CheckAsync(_database, endpoint, null, CancellationToken.None);
            DateTime deadline = DateTime.UtcNow.AddSeconds(3);
            while (report.RunningCrons.Count == 0 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
                report = await CheckWorkloadActivity.CheckAsync(_database, endpoint, null, CancellationToken.None);
            }

            // Assert
            RunningCron running = Assert.Single(report.RunningCrons);
            Assert.Equal(id, running.Id);
            Assert.Equal(name, running.Name);
            Assert.Equal("idle in transaction", running.State);
            Assert.Contains(report.Blockers(), b => b == $"1 cron job(s) running now: {name} (id {id})");
            Assert.DoesNotContain(report.Blockers(), b => b.Contains("due:", StringComparison.Ordinal));
            Assert.Contains(report.Evidence, e => e.StartsWith($"running cron: {name} (id {id}, backend pid {running.Pid}", StringComparison.Ordinal));
        }
        finally
        {
            _fixture.ClearKnob("run-cron");

            // Waits for the worker's commit (it moves nextcall on), then removes the job.
            await ExecuteAsync(odoo, $"DELETE FROM ir_cron WHERE id = {id}");
        }
    }

    [Fact]
    public async Task CheckAsync_LoginCheckAccountAndAdminLogInThroughStandIn_OnlyAdminCounted()
    {
        // Arrange: both log in through the stand-in's /web/session/authenticate; admin also polls the bus.
        var loginCheck = new LoginCheckDefinition { Login = _fixture.Facts.OdooCheckLogin, PasswordFile = _fixture.Facts.OdooCheckPasswordFile };
        await using NpgsqlConnection odoo = await _fixture.OpenOdooDatabaseAsync();
        await ExecuteAsync(odoo, "DELETE FROM res_users_log; DELETE FROM bus_presence;");
        try
        {
            string checkCookie = await LogInAsync(_fixture.Facts.OdooCheckLogin, _fixture.Facts.ReadOdooCheckPassword());
            await PollAsync(checkCookie);
            string adminCookie = await LogInAsync("admin", "admin");
            await PollAsync(adminCookie);

            // Act
            WorkloadReport report = await CheckWorkloadActivity.CheckAsync(_database, _endpoint, loginCheck, CancellationToken.None);
            OdooSchema schema = await _database.ReadSchemaAsync(_endpoint, CancellationToken.None);
            ActiveUsers everyone = await _database.CountActiveUsersAsync(_endpoint, schema, CheckWorkloadActivity.ActiveUserWindow, null, CancellationToken.None);

            // Assert
            Assert.Equal(new ActiveUsers(1, 1, 1), report.Users);
            Assert.Equal(new ActiveUsers(2, 2, 2), everyone);
            Assert.Contains(report.Blockers(), b => b == "1 active user(s) in the last 5 minutes (1 connected, 1 logged in)");
            Assert.Contains(report.Evidence, e => e.Contains($"login-check account '{_fixture.Facts.OdooCheckLogin}' not counted", StringComparison.Ordinal));
        }
        finally
        {
            await ExecuteAsync(odoo, "DELETE FROM res_users_log; DELETE FROM bus_presence;");
        }
    }

    [Fact]
    public async Task CheckAsync_UnknownSchema_FailsClosedNamingMissingColumns()
    {
        // Arrange: tables of another shape, found first on the role's search_path ("$user" = schema remediation).
        await using NpgsqlConnection odoo = await _fixture.OpenOdooDatabaseAsync("odoo18_schema");
        await ExecuteAsync(odoo, """
            DROP SCHEMA IF EXISTS remediation CASCADE;
            CREATE SCHEMA remediation;
            GRANT USAGE ON SCHEMA remediation TO remediation;
            CREATE TABLE remediation.res_users_log (id serial PRIMARY KEY, res_id int4, create_date timestamp);
            CREATE TABLE remediation.ir_cron (id serial PRIMARY KEY, name varchar, active bool, state varchar);
            """);
        try
        {
            // Act
            var error = await Assert.ThrowsAsync<OdooSchemaException>(() =>
                CheckWorkloadActivity.CheckAsync(_database, _endpoint with { Name = "odoo18_schema" }, null, CancellationToken.None));

            // Assert
            Assert.Contains("missing res_users_log.create_uid, ir_cron.nextcall, ir_cron.cron_name (or ir_cron.ir_actions_server_id with ir_act_server.name)", error.Message, StringComparison.Ordinal);
            Assert.Contains("database odoo18_schema", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            await ExecuteAsync(odoo, "DROP SCHEMA IF EXISTS remediation CASCADE");
        }
    }

    private static string ScratchDatabase(string version) => $"odoo{version[..2]}_schema";

    private static async Task<int> InsertCronAsync(NpgsqlConnection odoo, string version, string name, string nextcallOffset, bool active)
    {
        // As the ORM writes a new ir.cron: the server action first (name jsonb), then the cron (cron_name per version).
        string cronName = version == "16.0" ? "jsonb_build_object('en_US', $1::text)" : "$1";
        string calls = version == "18.0" ? "" : "numbercall, doall, ";
        string callValues = version == "18.0" ? "" : "-1, false, ";
        await using var insert = new NpgsqlCommand(
            $"""
            WITH action AS (
                INSERT INTO ir_act_server (name, type, binding_type, usage, state, sequence, model_id, model_name, code, create_uid, create_date, write_uid, write_date)
                VALUES (jsonb_build_object('en_US', $1::text), 'ir.actions.server', 'action', 'ir_cron', 'code', 5, 1, 'res.partner', 'model.browse()', 1,
                        (now() AT TIME ZONE 'UTC'), 1, (now() AT TIME ZONE 'UTC'))
                RETURNING id)
            INSERT INTO ir_cron (ir_actions_server_id, cron_name, user_id, active, interval_number, interval_type, {calls}nextcall, priority, create_uid, create_date, write_uid, write_date)
            SELECT id, {cronName}, 1, $2, 1, 'hours', {callValues}(now() AT TIME ZONE 'UTC') {nextcallOffset}, 5, 1, (now() AT TIME ZONE 'UTC'), 1, (now() AT TIME ZONE 'UTC')
              FROM action
            RETURNING id
            """,
            odoo);
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
        insert.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = active });
        return (int)(await insert.ExecuteScalarAsync())!;
    }

    private async Task<string> LogInAsync(string login, string password)
    {
        using HttpResponseMessage response = await _http.PostAsJsonAsync(
            new Uri(_fixture.Facts.OdooUrl, "/web/session/authenticate"),
            new { jsonrpc = "2.0", method = "call", @params = new { db = "odoo_production", login, password }, id = 1 });
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(body.Contains("\"result\"", StringComparison.Ordinal), $"login {login}: {body}");
        string cookie = response.Headers.GetValues("Set-Cookie").Single();
        return cookie[..cookie.IndexOf(';', StringComparison.Ordinal)];
    }

    private async Task PollAsync(string cookie)
    {
        // 16.0's bus route and 17.0/18.0's presence route both land in bus.presence._update_presence.
        string route = _fixture.Facts.OdooVersion == "16.0" ? "/longpolling/poll" : "/websocket/update_bus_presence";
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_fixture.Facts.OdooUrl, route))
        {
            Content = JsonContent.Create(new { jsonrpc = "2.0", method = "call", @params = new { inactivity_period = 1000 }, id = 2 }),
        };
        request.Headers.Add("Cookie", cookie);
        using HttpResponseMessage response = await _http.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(body.Contains("\"result\"", StringComparison.Ordinal), $"{route}: {body}");
    }

    [Fact]
    public async Task CountConnectionsByStateAsync_Fixture_SeesItsOwnActiveQuery()
    {
        // Act
        IReadOnlyList<ConnectionStateCount> counts = await _database.CountConnectionsByStateAsync(_endpoint, CancellationToken.None);

        // Assert
        ConnectionStateCount active = Assert.Single(counts, c => c.State == "active");
        Assert.True(active.Total >= 1);
    }

    [Fact]
    public async Task ListLongRunningQueriesAsync_SleepingQuery_ListedWithPidAndText()
    {
        // Arrange
        await using NpgsqlConnection odoo = await _fixture.OpenOdooDatabaseAsync();
        await using var sleep = new NpgsqlCommand("SELECT pg_sleep(3) /* remediation long-running probe */", odoo);
        Task sleeping = sleep.ExecuteNonQueryAsync();
        try
        {
            // Act: poll until the sleep has run longer than the threshold.
            IReadOnlyList<LongRunningQuery> queries = [];
            DateTime deadline = DateTime.UtcNow.AddSeconds(2.5);
            while (DateTime.UtcNow < deadline)
            {
                queries = await _database.ListLongRunningQueriesAsync(_endpoint, TimeSpan.FromMilliseconds(500), CancellationToken.None);
                if (queries.Any(q => q.Query.Contains("remediation long-running probe", StringComparison.Ordinal)))
                {
                    break;
                }

                await Task.Delay(100);
            }

            // Assert
            LongRunningQuery found = Assert.Single(queries, q => q.Query.Contains("remediation long-running probe", StringComparison.Ordinal));
            Assert.Equal(odoo.ProcessID, found.Pid);
            Assert.True(found.Duration > TimeSpan.FromMilliseconds(500), found.Duration.ToString());
        }
        finally
        {
            await sleeping;
        }
    }

    [Fact]
    public async Task CountBackendsAsync_Fixture_AtLeastOurs()
    {
        // Act
        long backends = await _database.CountBackendsAsync(_endpoint, CancellationToken.None);

        // Assert
        Assert.True(backends >= 1);
    }

    [Fact]
    public async Task SelectVersionAsync_ServerRefusesRole_NpgsqlExceptionPropagates()
    {
        // Arrange
        DatabaseEndpoint endpoint = _endpoint with { User = "no_such_role" };

        // Act
        var error = await Assert.ThrowsAnyAsync<NpgsqlException>(() => _database.SelectVersionAsync(endpoint, CancellationToken.None));

        // Assert
        Assert.Contains("no_such_role", error.Message, StringComparison.Ordinal);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
