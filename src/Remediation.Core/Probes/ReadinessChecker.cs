using System.Globalization;
using Npgsql;
using Remediation.Inventory;

namespace Remediation.Probes;

/// <summary>Runs a service's readiness probe (HTTP, TCP or SQL) once, within the probe's own timeout.</summary>
public sealed class ReadinessChecker
{
    private readonly HttpProbe _http;
    private readonly TcpProbe _tcp;
    private readonly OdooDatabase _database;
    private readonly TimeProvider _timeProvider;

    public ReadinessChecker(HttpProbe http, TcpProbe tcp, OdooDatabase database, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(tcp);
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _http = http;
        _tcp = tcp;
        _database = database;
        _timeProvider = timeProvider;
    }

    /// <summary>
    /// One probe. "Not ready" (refused, timed out, 5xx, SQL error) is a result; a probe the inventory cannot
    /// describe (none of HTTP/TCP/SQL, bad "host:port", SQL without a database endpoint) throws, because waiting
    /// on it would only time out with the wrong reason.
    /// </summary>
    /// <exception cref="OperationCanceledException">Only when <paramref name="cancellationToken"/> is cancelled.</exception>
    public async Task<ProbeResult> CheckAsync(ReadinessProbeDefinition probe, TargetDefinition target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(target);
        TimeSpan timeout = TimeSpan.FromMilliseconds(probe.TimeoutMs > 0 ? probe.TimeoutMs : 2000);

        if (probe.Http is { } url)
        {
            return await _http.ProbeAsync(url, timeout, cancellationToken);
        }

        if (!string.IsNullOrWhiteSpace(probe.Tcp))
        {
            (string host, int port) = ParseEndpoint(probe.Tcp, target);
            return await _tcp.ProbeAsync(host, port, timeout, cancellationToken);
        }

        if (probe.Sql)
        {
            DatabaseEndpoint endpoint = target.Database
                ?? throw new InvalidOperationException($"Target {target.Name} has a SQL readiness probe but no database endpoint in the inventory.");
            return await ProbeSqlAsync(endpoint, timeout, cancellationToken);
        }

        throw new InvalidOperationException($"A readiness probe on target {target.Name} sets none of Http, Tcp or Sql.");
    }

    /// <summary>Parses "host:port", "[::1]:port" included.</summary>
    internal static (string Host, int Port) ParseEndpoint(string endpoint, TargetDefinition target)
    {
        int colon = endpoint.LastIndexOf(':');
        if (colon > 0
            && int.TryParse(endpoint.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port)
            && port is > 0 and <= 65535)
        {
            string host = endpoint[..colon].Trim();
            if (host.StartsWith('[') && host.EndsWith(']'))
            {
                host = host[1..^1];
            }

            if (host.Length > 0)
            {
                return (host, port);
            }
        }

        throw new InvalidOperationException($"TCP readiness probe '{endpoint}' on target {target.Name} is not \"host:port\".");
    }

    private async Task<ProbeResult> ProbeSqlAsync(DatabaseEndpoint endpoint, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        long started = _timeProvider.GetTimestamp();
        try
        {
            await _database.SelectOneAsync(endpoint, deadline.Token);
            long elapsed = ElapsedMs(started);
            return new ProbeResult(true, elapsed, $"SELECT 1 on {endpoint.Name} in {elapsed} ms");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException)
        {
            return new ProbeResult(false, ElapsedMs(started), ProbeFailure.TimedOut(timeout));
        }
        catch (NpgsqlException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Here (and only here) a database error is an answer: "not ready yet", e.g. "the database system is starting up".
            return new ProbeResult(false, ElapsedMs(started), ex.Message);
        }
    }

    private long ElapsedMs(long started) => (long)_timeProvider.GetElapsedTime(started).TotalMilliseconds;
}
