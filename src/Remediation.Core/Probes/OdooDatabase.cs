using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Remediation.Inventory;

namespace Remediation.Probes;

/// <summary>
/// The runbook's SQL checks against a target's Odoo database, from the remediation host, with one data source per
/// endpoint. Npgsql errors are not caught: the step that asked records the real cause.
/// </summary>
public sealed partial class OdooDatabase : IAsyncDisposable, IDisposable
{
    /// <summary>Queries are cut to this length before they reach a record: they can be large, and they are persisted.</summary>
    public const int MaxQueryTextLength = 2000;

    private readonly ConcurrentDictionary<DatabaseEndpoint, Lazy<NpgsqlDataSource>> _dataSources = new();
    private readonly OdooDatabaseOptions _options;
    private readonly ILogger<OdooDatabase> _logger;

    public OdooDatabase(IOptions<OdooDatabaseOptions> options, ILogger<OdooDatabase> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>The cached data source for an endpoint; the password file is read when it is first built.</summary>
    public NpgsqlDataSource DataSourceFor(DatabaseEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return _dataSources.GetOrAdd(endpoint, e => new Lazy<NpgsqlDataSource>(() => Build(e))).Value;
    }

    /// <summary>Runbook: "Verify PostgreSQL is accepting connections" — <c>SELECT version()</c>.</summary>
    public async Task<string> SelectVersionAsync(DatabaseEndpoint endpoint, CancellationToken cancellationToken)
    {
        await using NpgsqlCommand command = DataSourceFor(endpoint).CreateCommand("""SELECT version()""");
        object? version = await command.ExecuteScalarAsync(cancellationToken);
        return version as string ?? "";
    }

    /// <summary>The readiness round trip: <c>SELECT 1</c>.</summary>
    public async Task SelectOneAsync(DatabaseEndpoint endpoint, CancellationToken cancellationToken)
    {
        await using NpgsqlCommand command = DataSourceFor(endpoint).CreateCommand("""SELECT 1""");
        await command.ExecuteScalarAsync(cancellationToken);
    }

    /// <summary>
    /// The columns of the Odoo tables the pre-checks read (<see cref="OdooSchema.Tables"/>), from pg_attribute: it lists
    /// a table's columns whatever the role may select, so a missing column and a missing grant are told apart.
    /// </summary>
    public async Task<OdooSchema> ReadSchemaAsync(DatabaseEndpoint endpoint, CancellationToken cancellationToken)
    {
        await using NpgsqlCommand command = DataSourceFor(endpoint).CreateCommand(
            """
            SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod)
            FROM pg_catalog.pg_attribute a
            JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
            WHERE c.oid IN (SELECT to_regclass(t) FROM unnest($1::text[]) AS t)
              AND a.attnum > 0 AND NOT a.attisdropped
            """);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. OdooSchema.Tables] });
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        var columns = new List<(string, string, string)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            columns.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }

        return OdooSchema.FromColumns(columns);
    }

    /// <summary>
    /// Runbook: "Check active users" — distinct users connected (bus_presence.last_poll) and logged in
    /// (res_users_log.create_uid) within <paramref name="window"/>, leaving out <paramref name="excludedLogin"/>.
    /// </summary>
    /// <remarks>
    /// bus_presence.status is not used: 16.0 and 17.0 never write it (it keeps its default, "offline") and derive
    /// "offline" from the age of last_poll instead; a user whose 18.0 tab closed inside the window still counts,
    /// which errs on the side of deferring.
    /// </remarks>
    public async Task<ActiveUsers> CountActiveUsersAsync(
        DatabaseEndpoint endpoint, OdooSchema schema, TimeSpan window, string? excludedLogin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schema);
        string excluded = excludedLogin is null
            ? """SELECT NULL::int4 AS id WHERE false"""
            : """SELECT id FROM res_users WHERE login = $2""";
        string connected = schema.HasPresence
            ? """
              SELECT DISTINCT user_id FROM bus_presence
              WHERE user_id IS NOT NULL AND last_poll > (now() AT TIME ZONE 'UTC') - $1
                AND user_id NOT IN (SELECT id FROM excluded)
              """
            : """SELECT NULL::int4 AS user_id WHERE false""";
        await using NpgsqlCommand command = DataSourceFor(endpoint).CreateCommand(
            $"""
            WITH excluded AS ({excluded}),
            logins AS (
                SELECT DISTINCT create_uid AS user_id FROM res_users_log
                WHERE create_uid IS NOT NULL AND create_date > (now() AT TIME ZONE 'UTC') - $1
                  AND create_uid NOT IN (SELECT id FROM excluded)),
            connected AS ({connected})
            SELECT (SELECT count(*) FROM connected), (SELECT count(*) FROM logins),
                   (SELECT count(*) FROM (SELECT user_id FROM logins UNION SELECT user_id FROM connected) AS anyone)
            """);
        command.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = window });
        if (excludedLogin is not null)
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = excludedLogin });
        }

        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new ActiveUsers(
            schema.HasPresence ? checked((int)reader.GetInt64(0)) : null,
            checked((int)reader.GetInt64(1)),
            checked((int)reader.GetInt64(2)));
    }

    /// <summary>
    /// Runbook: "Check running jobs/cron tasks", due half — by Odoo's own rule (ir.cron._get_all_ready_jobs): active,
    /// calls left where numbercall exists, and nextcall passed (naive UTC) or an ir_cron_trigger due.
    /// </summary>
    public async Task<IReadOnlyList<DueCron>> ListDueCronsAsync(DatabaseEndpoint endpoint, OdooSchema schema, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schema);
        string numberCall = schema.HasNumberCall ? """AND c.numbercall != 0""" : "";
        string byTrigger = schema.HasTriggers
            ? """EXISTS (SELECT 1 FROM ir_cron_trigger t WHERE t.cron_id = c.id AND t.call_at <= (now() AT TIME ZONE 'UTC'))"""
            : """false""";
        await using NpgsqlCommand command = DataSourceFor(endpoint).CreateCommand(
            $"""
            SELECT c.id, {CronNameExpression(schema)}, c.nextcall, {byTrigger}
            FROM ir_cron c {ServerActionJoin(schema)}
            WHERE c.active IS TRUE {numberCall}
              AND (c.nextcall <= (now() AT TIME ZONE 'UTC') OR {byTrigger})
            ORDER BY c.id
            """);
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        var crons = new List<DueCron>();
        while (await reader.ReadAsync(cancellationToken))
        {
            crons.Add(new DueCron(reader.GetInt32(0), reader.GetString(1), reader.GetDateTime(2), reader.GetBoolean(3)));
        }

        return crons;
    }

    /// <summary>
    /// Runbook: "Check running jobs/cron tasks", running half — the jobs Odoo's cron worker runs right now. The worker
    /// holds its acquire query's <c>FOR NO KEY UPDATE SKIP LOCKED</c> row lock for as long as the job runs; that
    /// backend is found in pg_stat_activity (in a transaction, its last query the acquire query, the job id a
    /// literal in it), so nothing here takes, waits for or delays the lock. Needs pg_monitor to see the query text.
    /// </summary>
    public async Task<IReadOnlyList<RunningCron>> ListRunningCronsAsync(DatabaseEndpoint endpoint, OdooSchema schema, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var backends = new List<(int Pid, string State, DateTime? Start, IReadOnlyList<int> Ids)>();
        await using (NpgsqlCommand command = DataSourceFor(endpoint).CreateCommand(
            """
            SELECT pid, state, xact_start, query FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid()
              AND xact_start IS NOT NULL AND state IN ('active', 'idle in transaction')
              AND query ILIKE $1
            ORDER BY xact_start
            """))
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = CronAcquireQuery.LockClauseLike });
            await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                IReadOnlyList<int> ids = CronAcquireQuery.ParseJobIds(reader.IsDBNull(3) ? null : reader.GetString(3));
                if (ids.Count > 0)
                {
                    backends.Add((reader.GetInt32(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetDateTime(2), ids));
                }
            }
        }

        if (backends.Count == 0)
        {
            return [];
        }

        // A plain SELECT never waits for row locks, so reading the names cannot delay the worker either.
        var names = new Dictionary<int, string>();
        await using (NpgsqlCommand command = DataSourceFor(endpoint).CreateCommand(
            $"""SELECT c.id, {CronNameExpression(schema)} FROM ir_cron c {ServerActionJoin(schema)} WHERE c.id = ANY($1)"""))
        {
            command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = [.. backends.SelectMany(b => b.Ids).Distinct()] });
            await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                names[reader.GetInt32(0)] = reader.GetString(1);
            }
        }

        return
        [
            .. backends.SelectMany(b => b.Ids.Select(id =>
                new RunningCron(id, names.GetValueOrDefault(id, $"ir_cron #{id} (not found)"), b.Pid, b.State, b.Start))),
        ];
    }

    // cron_name is jsonb in 16.0 (a translated related field: the en_US value is Odoo's own reading) and varchar
    // from 17.0; the delegated server action's name (jsonb) is the fallback when cron_name is absent or empty.
    private static string CronNameExpression(OdooSchema schema)
    {
        var parts = new List<string>();
        if (schema.CronNameType is { } type)
        {
            parts.Add(type == "jsonb" ? """NULLIF(c.cron_name ->> 'en_US', '')""" : """NULLIF(c.cron_name::text, '')""");
        }

        if (schema.HasServerActionName)
        {
            parts.Add(schema.TypeOf("ir_act_server.name") == "jsonb" ? """NULLIF(a.name ->> 'en_US', '')""" : """NULLIF(a.name::text, '')""");
        }

        parts.Add("""'ir_cron #' || c.id""");
        return $"COALESCE({string.Join(", ", parts)})";
    }

    private static string ServerActionJoin(OdooSchema schema) =>
        schema.HasServerActionName ? """LEFT JOIN ir_act_server a ON a.id = c.ir_actions_server_id""" : "";

    /// <summary>Runbook: "Check active connections" — backends per state.</summary>
    public async Task<IReadOnlyList<ConnectionStateCount>> CountConnectionsByStateAsync(DatabaseEndpoint endpoint, CancellationToken cancellationToken)
    {
        await using NpgsqlCommand command = DataSourceFor(endpoint).CreateCommand(
            """SELECT count(*) AS total, state FROM pg_stat_activity GROUP BY state""");
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        var counts = new List<ConnectionStateCount>();
        while (await reader.ReadAsync(cancellationToken))
        {
            counts.Add(new ConnectionStateCount(reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetInt64(0)));
        }

        return counts;
    }

    /// <summary>Runbook: "Check for long-running queries" — active queries older than <paramref name="threshold"/>.</summary>
    public async Task<IReadOnlyList<LongRunningQuery>> ListLongRunningQueriesAsync(DatabaseEndpoint endpoint, TimeSpan threshold, CancellationToken cancellationToken)
    {
        await using NpgsqlCommand command = DataSourceFor(endpoint).CreateCommand(
            """
            SELECT pid, now() - query_start AS duration, query FROM pg_stat_activity
            WHERE state = 'active' AND now() - query_start > $1
            """);
        command.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = threshold });
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        var queries = new List<LongRunningQuery>();
        while (await reader.ReadAsync(cancellationToken))
        {
            string query = reader.IsDBNull(2) ? "" : reader.GetString(2);
            if (query.Length > MaxQueryTextLength)
            {
                query = query[..MaxQueryTextLength] + "…";
            }

            queries.Add(new LongRunningQuery(reader.GetInt32(0), reader.IsDBNull(1) ? TimeSpan.Zero : reader.GetTimeSpan(1), query));
        }

        return queries;
    }

    /// <summary>Runbook: "Database connectivity" — <c>SELECT count(*) FROM pg_stat_activity</c>.</summary>
    public async Task<long> CountBackendsAsync(DatabaseEndpoint endpoint, CancellationToken cancellationToken)
    {
        await using NpgsqlCommand command = DataSourceFor(endpoint).CreateCommand("""SELECT count(*) FROM pg_stat_activity""");
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (Lazy<NpgsqlDataSource> source in _dataSources.Values)
        {
            if (source.IsValueCreated)
            {
                await source.Value.DisposeAsync();
            }
        }

        _dataSources.Clear();
    }

    public void Dispose()
    {
        foreach (Lazy<NpgsqlDataSource> source in _dataSources.Values)
        {
            if (source.IsValueCreated)
            {
                source.Value.Dispose();
            }
        }

        _dataSources.Clear();
    }

    private NpgsqlDataSource Build(DatabaseEndpoint endpoint)
    {
        if (string.IsNullOrWhiteSpace(endpoint.Host) || string.IsNullOrWhiteSpace(endpoint.Name) || string.IsNullOrWhiteSpace(endpoint.User))
        {
            throw new ArgumentException("A database endpoint needs a host, a database name and a user.", nameof(endpoint));
        }

        var connectionString = new NpgsqlConnectionStringBuilder
        {
            Host = endpoint.Host,
            Port = endpoint.Port,
            Database = endpoint.Name,
            Username = endpoint.User,
            Password = ReadPassword(endpoint),
            Timeout = WholeSeconds(_options.ConnectTimeout),
            CommandTimeout = WholeSeconds(_options.CommandTimeout),
            ApplicationName = _options.ApplicationName,

            // Odoo writes naive UTC timestamps (res_users_log.create_date); comparing them with now() is only
            // right when the session's time zone is UTC.
            Timezone = "UTC",

            // A pooled connection opened before a PostgreSQL restart fails its first command afterwards, which a
            // readiness probe would report as "not ready" although the server is back. Our checks are few; a fresh
            // connection each time costs a few milliseconds and always tells the truth.
            Pooling = false,
        };

        LogDataSourceCreated(endpoint.Host, endpoint.Port, endpoint.Name, endpoint.User);
        return NpgsqlDataSource.Create(connectionString);
    }

    private static string? ReadPassword(DatabaseEndpoint endpoint)
    {
        if (string.IsNullOrEmpty(endpoint.PasswordFile))
        {
            return null;
        }

        try
        {
            return File.ReadAllText(endpoint.PasswordFile).Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException(
                $"Cannot read the password file {endpoint.PasswordFile} for database {endpoint.Name} on {endpoint.Host}:{endpoint.Port}: {ex.Message}", ex);
        }
    }

    private static int WholeSeconds(TimeSpan timeout) => Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds));

    [LoggerMessage(Level = LogLevel.Debug, Message = "Database {Host}:{Port}/{Database}: data source created for role {User}")]
    private partial void LogDataSourceCreated(string host, int port, string database, string user);
}
