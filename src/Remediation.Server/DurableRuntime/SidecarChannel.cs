using System.Net;
using System.Net.Sockets;
using Grpc.Net.Client;

namespace Remediation.Server.DurableRuntime;

/// <summary>The gRPC channel of the server's <c>DurableTaskClient</c>: it exists from the first moment, and connects to the sidecar once the runtime reports the port it bound.</summary>
/// <remarks>The port is only known at start-up (0 = any free port), yet the client is a singleton anyone may resolve earlier; calls made before start-up wait for it instead of failing.</remarks>
internal sealed class SidecarChannel : IDisposable
{
    private readonly TaskCompletionSource<int> _port = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public SidecarChannel()
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = ConnectAsync,
            EnableMultipleHttp2Connections = true,
        };
        Channel = GrpcChannel.ForAddress("http://127.0.0.1", new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
    }

    public GrpcChannel Channel { get; }

    /// <summary>Points the channel at the sidecar once it listens.</summary>
    public void Open(int port) => _port.TrySetResult(port);

    /// <summary>Fails waiting and future calls when the runtime could not start.</summary>
    public void Fail(Exception reason) => _port.TrySetException(reason);

    public void Dispose() => Channel.Dispose();

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        int port = await _port.Task.WaitAsync(cancellationToken);
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
