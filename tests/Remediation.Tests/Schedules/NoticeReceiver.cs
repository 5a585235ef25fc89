using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;

namespace Remediation.Tests.Schedules;

/// <summary>A loopback webhook receiver: keeps every JSON body posted to it with the time it arrived, and answers with a set status.</summary>
internal sealed class NoticeReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<(DateTime AtUtc, JsonDocument Body)> _received = new();
    private readonly Task _loop;

    public NoticeReceiver()
    {
        int port = FreePort();
        Url = new Uri($"http://127.0.0.1:{port}/hooks/maintenance/");
        _listener.Prefixes.Add(Url.ToString());
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public Uri Url { get; }

    /// <summary>The status every post gets (200 unless a test makes the receiver fail).</summary>
    public HttpStatusCode Answer { get; set; } = HttpStatusCode.OK;

    public IReadOnlyList<(DateTime AtUtc, JsonDocument Body)> Received => [.. _received];

    public void Dispose()
    {
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using (var reader = new StreamReader(context.Request.InputStream))
            {
                _received.Enqueue((DateTime.UtcNow, JsonDocument.Parse(await reader.ReadToEndAsync())));
            }

            context.Response.StatusCode = (int)Answer;
            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
