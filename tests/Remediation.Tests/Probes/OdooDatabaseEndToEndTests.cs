using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
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

    public OdooDatabaseEndToEndTests(TargetHostFixture fixture)
    {
        _fixture = fixture;
        _endpoint = FixtureTarget.From(fixture.Facts).Database!;
    }

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task SelectVersionAsync_Fixture_PostgreSql15()
    {
        // Act
        string version = await _database.SelectVersionAsync(_endpoint, CancellationToken.None);

        // Assert
        Assert.StartsWith("PostgreSQL 15.", version, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CountActiveUsersAsync_LoginsInsideAndOutsideWindow_CountsDistinctUsersInside()
    {
        // Arrange: three logins by two users 30 minutes ago, one login 3 hours ago; ids nobody else uses.
        // 30 minutes keeps them out of the runbook's 5-minute window, which other tests' pre-checks read.
        int userA = Random.Shared.Next(900_000, 950_000);
        int userB = userA + 50_000;
        int userOld = userA + 100_000;
        await using NpgsqlConnection odoo = await _fixture.OpenOdooDatabaseAsync();
        await ExecuteAsync(odoo, $"""
            INSERT INTO res_users_log (res_id, create_date) VALUES
              ({userA}, (now() AT TIME ZONE 'UTC') - interval '30 minutes'),
              ({userA}, (now() AT TIME ZONE 'UTC') - interval '29 minutes'),
              ({userB}, (now() AT TIME ZONE 'UTC') - interval '31 minutes'),
              ({userOld}, (now() AT TIME ZONE 'UTC') - interval '3 hours')
            """);
        try
        {
            // Act
            int inHour = await _database.CountActiveUsersAsync(_endpoint, TimeSpan.FromHours(1), CancellationToken.None);
            int inFourHours = await _database.CountActiveUsersAsync(_endpoint, TimeSpan.FromHours(4), CancellationToken.None);
            int inMinute = await _database.CountActiveUsersAsync(_endpoint, TimeSpan.FromMinutes(1), CancellationToken.None);

            // Assert: others may log in meanwhile, so only lower bounds and differences are exact.
            Assert.True(inHour >= 2, $"{inHour} users in the last hour");
            Assert.True(inFourHours >= inHour + 1, $"{inFourHours} users in 4 h vs {inHour} in 1 h");
            Assert.True(inMinute <= inHour - 2, $"{inMinute} users in the last minute vs {inHour} in the last hour");
        }
        finally
        {
            await ExecuteAsync(odoo, $"DELETE FROM res_users_log WHERE res_id IN ({userA}, {userB}, {userOld})");
        }
    }

    [Fact]
    public async Task ListDueCronsAsync_OverdueActiveAndInactive_ListsOnlyActive()
    {
        // Arrange: uniquely named crons, removed right after; the inactive one proves the filter.
        string suffix = Guid.NewGuid().ToString("N");
        string dueName = "remediation test due " + suffix;
        string inactiveName = "remediation test inactive " + suffix;
        await using NpgsqlConnection odoo = await _fixture.OpenOdooDatabaseAsync();
        await using (var insert = new NpgsqlCommand(
            """
            INSERT INTO ir_cron (name, active, nextcall) VALUES
              ($1, true, (now() AT TIME ZONE 'UTC') - interval '1 minute'),
              ($2, false, (now() AT TIME ZONE 'UTC') - interval '1 minute')
            """,
            odoo))
        {
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = dueName });
            insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = inactiveName });
            await insert.ExecuteNonQueryAsync();
        }

        try
        {
            // Act
            IReadOnlyList<DueCron> due = await _database.ListDueCronsAsync(_endpoint, CancellationToken.None);

            // Assert
            Assert.Contains(new DueCron(dueName, "code"), due);
            Assert.DoesNotContain(due, c => c.Name == inactiveName);
            Assert.DoesNotContain(due, c => c.Name == "Mail: Email Queue Manager");
        }
        finally
        {
            await using var delete = new NpgsqlCommand("DELETE FROM ir_cron WHERE name IN ($1, $2)", odoo);
            delete.Parameters.Add(new NpgsqlParameter<string> { TypedValue = dueName });
            delete.Parameters.Add(new NpgsqlParameter<string> { TypedValue = inactiveName });
            await delete.ExecuteNonQueryAsync();
        }
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
