using System.Diagnostics;
using Npgsql;

namespace Remediation.Bench;

/// <summary><c>SELECT 1</c> on a new connection each time, as the fixture checks that PostgreSQL accepts connections.</summary>
public sealed class PostgresProbe
{
    private readonly string _connectionString;

    public PostgresProbe(string connectionString)
    {
        _connectionString = connectionString;
    }

    /// <summary>Polls every <paramref name="interval"/> until <c>SELECT 1</c> answers; a refusal or "starting up" is polled again.</summary>
    public async Task WaitUntilAcceptingAsync(TimeSpan interval, TimeSpan deadline, CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        string last = "";
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(_connectionString);
                await connection.OpenAsync(cancellationToken);
                await using var command = new NpgsqlCommand("SELECT 1", connection);
                await command.ExecuteScalarAsync(cancellationToken);
                return;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                // Expected while PostgreSQL restarts; the last refusal is reported if it never comes back.
                last = e.Message;
            }

            if (Stopwatch.GetElapsedTime(started) > deadline)
            {
                throw new BenchException($"PostgreSQL did not accept SELECT 1 within {deadline.TotalSeconds:0} s: {last}");
            }

            await Task.Delay(interval, cancellationToken);
        }
    }
}
