using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Remediation.Probes;

/// <summary>Opens (and closes) a TCP connection from the remediation host: accepted is healthy.</summary>
public sealed partial class TcpProbe
{
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<TcpProbe> _logger;

    public TcpProbe(TimeProvider timeProvider, ILogger<TcpProbe> logger)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <exception cref="OperationCanceledException">Only when <paramref name="cancellationToken"/> is cancelled.</exception>
    public async Task<ProbeResult> ProbeAsync(string host, int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        long started = _timeProvider.GetTimestamp();
        ProbeResult result;
        try
        {
            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(host, port, deadline.Token);
            long elapsed = ElapsedMs(started);
            result = new ProbeResult(true, elapsed, $"connected in {elapsed} ms");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException)
        {
            result = new ProbeResult(false, ElapsedMs(started), ProbeFailure.TimedOut(timeout));
        }
        catch (SocketException ex)
        {
            result = new ProbeResult(false, ElapsedMs(started), ProbeFailure.Describe(ex));
        }

        LogProbed(host, port, result.Healthy, result.Detail);
        return result;
    }

    private long ElapsedMs(long started) => (long)_timeProvider.GetElapsedTime(started).TotalMilliseconds;

    [LoggerMessage(Level = LogLevel.Debug, Message = "TCP probe {Host}:{Port}: healthy {Healthy}, {Detail}")]
    private partial void LogProbed(string host, int port, bool healthy, string detail);
}
