using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Remediation.Tests.Ssh;

/// <summary>
/// A TCP forwarder on loopback. It knows the local port of its first connection to the upstream (how a test finds
/// that connection's lines in sshd's log), and can cut every forwarded connection at once, like a network failure.
/// </summary>
internal sealed class LoopbackForwarder : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly TaskCompletionSource<int> _upstreamPort = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<TcpClient> _open = [];
    private readonly string _upstreamHost;
    private readonly int _upstreamPortNumber;

    public LoopbackForwarder(string upstreamHost, int upstreamPort)
    {
        _upstreamHost = upstreamHost;
        _upstreamPortNumber = upstreamPort;
        _listener.Start();
        _ = Task.Run(AcceptLoopAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The source port sshd sees (and logs) for the first forwarded connection.</summary>
    public Task<int> UpstreamLocalPort => _upstreamPort.Task;

    /// <summary>How many connections were accepted so far.</summary>
    public int Accepted { get; private set; }

    /// <summary>Resets every forwarded connection (both sides); new connections are still accepted.</summary>
    public void DropConnections()
    {
        while (_open.TryTake(out TcpClient? client))
        {
            client.Client.LingerState = new LingerOption(true, 0);
            client.Dispose();
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        DropConnections();
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (true)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
            {
                _upstreamPort.TrySetException(ex);
                return;
            }

            Accepted++;
            _ = Task.Run(() => ForwardAsync(client));
        }
    }

    private async Task ForwardAsync(TcpClient client)
    {
        var upstream = new TcpClient();
        _open.Add(client);
        _open.Add(upstream);
        try
        {
            await upstream.ConnectAsync(_upstreamHost, _upstreamPortNumber, _stop.Token);
            _upstreamPort.TrySetResult(((IPEndPoint)upstream.Client.LocalEndPoint!).Port);
            NetworkStream a = client.GetStream();
            NetworkStream b = upstream.GetStream();
            await Task.WhenAll(PumpAsync(a, b, upstream), PumpAsync(b, a, client));
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            _upstreamPort.TrySetException(ex);
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to, TcpClient toClient)
    {
        try
        {
            await from.CopyToAsync(to, _stop.Token);
            toClient.Client.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The other side is gone, or the test cut the connection.
        }
    }
}
