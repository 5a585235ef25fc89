using System.Net.Sockets;

namespace Remediation.Probes;

/// <summary>Turns a network exception into the few words an operator expects in a probe's detail ("connection refused").</summary>
internal static class ProbeFailure
{
    public static string Describe(SocketException socket) => socket.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => "connection refused",
        SocketError.ConnectionReset => "connection reset",
        SocketError.TimedOut => "connection timed out",
        SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "host name could not be resolved",
        SocketError.NetworkUnreachable => "network unreachable",
        SocketError.HostUnreachable => "host unreachable",
        SocketError.NotConnected => "connection closed as it opened",
        _ => socket.Message,
    };

    public static string Describe(HttpRequestException exception)
    {
        if (FindSocketException(exception) is { } socket)
        {
            return Describe(socket);
        }

        return exception.HttpRequestError switch
        {
            HttpRequestError.NameResolutionError => "host name could not be resolved",
            HttpRequestError.SecureConnectionError => "TLS handshake failed: " + exception.Message,
            HttpRequestError.ResponseEnded => "connection closed before a complete response",
            HttpRequestError.InvalidResponse => "invalid HTTP response: " + exception.Message,
            _ => exception.Message,
        };
    }

    public static string TimedOut(TimeSpan timeout) => $"no answer within {(long)timeout.TotalMilliseconds} ms";

    private static SocketException? FindSocketException(Exception exception)
    {
        for (Exception? inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException socket)
            {
                return socket;
            }
        }

        return null;
    }
}
