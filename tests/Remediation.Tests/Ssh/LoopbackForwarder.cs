using System.Net;
using System.Net.Sockets;

namespace Remediation.Tests.Ssh;

/// <summary>
/// A one-connection TCP forwarder on loopback. It knows the local port of its own connection to the upstream,
/// which is how a test finds that connection's lines in sshd's log.
/// </summary>
internal sealed class LoopbackForwarder : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly TaskCompletionSource<int> _upstreamPort = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();

    public LoopbackForwarder(string upstreamHost, int upstreamPort)
    {
        _listener.Start();
        _ = Task.Run(() => ForwardOneAsync(upstreamHost, upstreamPort));
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The source port sshd sees (and logs) for the forwarded connection.</summary>
    public Task<int> UpstreamLocalPort => _upstreamPort.Task;

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }

    private async Task ForwardOneAsync(string upstreamHost, int upstreamPort)
    {
        try
        {
            using TcpClient client = await _listener.AcceptTcpClientAsync(_stop.Token);
            using var upstream = new TcpClient();
            await upstream.ConnectAsync(upstreamHost, upstreamPort, _stop.Token);
            _upstreamPort.TrySetResult(((IPEndPoint)upstream.Client.LocalEndPoint!).Port);
            NetworkStream a = client.GetStream();
            NetworkStream b = upstream.GetStream();
            Task one = PumpAsync(a, b, upstream.Client);
            Task two = PumpAsync(b, a, client.Client);
            await Task.WhenAll(one, two);
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            _upstreamPort.TrySetException(ex);
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to, Socket toSocket)
    {
        try
        {
            await from.CopyToAsync(to, _stop.Token);
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            try
            {
                toSocket.Shutdown(SocketShutdown.Send);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
            }
        }
    }
}
