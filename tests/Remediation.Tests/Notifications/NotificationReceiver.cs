using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace Remediation.Tests.Notifications;

/// <summary>A local webhook receiver (HttpListener on loopback): records every body it gets, and answers 503 to the first <c>failFirst</c> posts.</summary>
internal sealed class NotificationReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<string> _bodies = new();
    private readonly Task _loop;
    private int _failuresLeft;

    public NotificationReceiver(int failFirst = 0)
    {
        _failuresLeft = failFirst;
        for (int attempt = 0; ; attempt++)
        {
            Port = Random.Shared.Next(20000, 60000);
            _listener.Prefixes.Clear();
            _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
            try
            {
                _listener.Start();
                break;
            }
            catch (HttpListenerException) when (attempt < 20)
            {
            }
        }

        _loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public Uri Url => new($"http://127.0.0.1:{Port}/hook");

    public IReadOnlyList<string> Bodies => [.. _bodies];

    public int Posts { get; private set; }

    /// <summary>Waits (polling, with a deadline) until <paramref name="count"/> bodies were accepted.</summary>
    public async Task<IReadOnlyList<string>> WaitForAsync(int count, TimeSpan within)
    {
        DateTime deadline = DateTime.UtcNow + within;
        while (_bodies.Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        return Bodies;
    }

    private async Task ServeAsync()
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

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            string body = await reader.ReadToEndAsync();
            Posts++;
            if (Interlocked.Decrement(ref _failuresLeft) >= 0)
            {
                context.Response.StatusCode = 503;
            }
            else
            {
                _bodies.Enqueue(body);
                context.Response.StatusCode = 200;
            }

            context.Response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
    }
}
