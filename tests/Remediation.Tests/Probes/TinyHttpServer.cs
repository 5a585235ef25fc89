using System.Net.Sockets;
using System.Text;

namespace Remediation.Tests.Probes;

/// <summary>
/// A loopback HTTP/1.1 server that answers every request from a path → raw status line table; paths it does not
/// know are never answered (for timeout tests).
/// </summary>
internal sealed class TinyHttpServer : IDisposable
{
    private readonly TcpListener _listener = LoopbackPorts.Listen();
    private readonly Dictionary<string, string> _responses;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public TinyHttpServer(Dictionary<string, string> responses)
    {
        _responses = responses;
        _loop = Task.Run(AcceptLoopAsync);
    }

    public Uri Url(string path) => new($"http://127.0.0.1:{LoopbackPorts.PortOf(_listener)}{path}");

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _loop.Wait(TimeSpan.FromSeconds(5));
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => AnswerAsync(client));
        }
    }

    private async Task AnswerAsync(TcpClient client)
    {
        using (client)
        {
            NetworkStream stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.ASCII, leaveOpen: true);
            string? requestLine = await reader.ReadLineAsync();
            while (!string.IsNullOrEmpty(await reader.ReadLineAsync()))
            {
            }

            string path = requestLine?.Split(' ')[1] ?? "/";
            if (!_responses.TryGetValue(path, out string? head))
            {
                // Hold the connection open without answering until the server stops.
                try
                {
                    await Task.Delay(Timeout.Infinite, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                }

                return;
            }

            byte[] bytes = Encoding.ASCII.GetBytes(head + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            await stream.WriteAsync(bytes);
        }
    }
}
