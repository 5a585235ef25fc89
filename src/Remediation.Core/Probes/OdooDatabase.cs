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

    /// <summary>Runbook: "Check active users" — distinct users logged in within <paramref name="window"/>.</summary>
    public async Task<int> CountActiveUsersAsync(DatabaseEndpoint endpoint, TimeSpan window, CancellationToken cancellationToken)
    {
        await using NpgsqlCommand command = DataSourceFor(endpoint).CreateCommand(
            """SELECT count(DISTINCT res_id) FROM res_users_log WHERE create_date > now() - $1""");
        command.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = window });
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    /// <summary>Runbook: "Check running jobs/cron tasks" — active scheduled actions whose next call has passed.</summary>
    public async Task<IReadOnlyList<DueCron>> ListDueCronsAsync(DatabaseEndpoint endpoint, CancellationToken cancellationToken)
    {
        await using NpgsqlCommand command = DataSourceFor(endpoint).CreateCommand(
            """SELECT name, state FROM ir_cron WHERE active = true AND nextcall < now()""");
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        var crons = new List<DueCron>();
        while (await reader.ReadAsync(cancellationToken))
        {
            // Newer Odoo stores translatable names as jsonb; its text form is still readable in a record.
            string name = reader.IsDBNull(0) ? "" : Convert.ToString(reader.GetValue(0), CultureInfo.InvariantCulture) ?? "";
            string? state = reader.IsDBNull(1) ? null : Convert.ToString(reader.GetValue(1), CultureInfo.InvariantCulture);
            crons.Add(new DueCron(name, state));
        }

        return crons;
    }

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
