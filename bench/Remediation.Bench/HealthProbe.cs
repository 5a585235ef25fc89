using System.Diagnostics;
using System.Net;

namespace Remediation.Bench;

/// <summary>GET of a health URL (the Odoo stand-in's <c>/web/health</c>, directly or through nginx) on a fresh connection each time, as a curl loop would do it.</summary>
public sealed class HealthProbe : IDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(1);

    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        // No pooled connection survives a restart anyway; a new connection per probe keeps every probe alike.
        PooledConnectionLifetime = TimeSpan.Zero,
        AllowAutoRedirect = false,
        ConnectTimeout = RequestTimeout,
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    private readonly Uri _url;

    public HealthProbe(Uri url)
    {
        _url = url;
    }

    public Uri Url => _url;

    /// <summary>True when the probe answered 200; false on any other status, refusal or timeout.</summary>
    public async Task<bool> IsHealthyAsync(CancellationToken cancellationToken) => await ProbeAsync(cancellationToken) is null;

    /// <summary>Null when the probe answered 200; otherwise what went wrong: the status code, the socket error, or <c>timeout</c>.</summary>
    public async Task<string?> ProbeAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RequestTimeout);
        try
        {
            using HttpResponseMessage response = await _http.GetAsync(_url, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            return response.StatusCode == HttpStatusCode.OK ? null : ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (HttpRequestException e)
        {
            return e.InnerException is System.Net.Sockets.SocketException socket ? socket.SocketErrorCode.ToString() : e.HttpRequestError.ToString();
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return "timeout";
        }
    }

    /// <summary>Probes every <paramref name="interval"/> until the first 200; returns the number of probes sent.</summary>
    public async Task<int> WaitUntilHealthyAsync(TimeSpan interval, TimeSpan deadline, CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        int probes = 0;
        while (true)
        {
            probes++;
            if (await IsHealthyAsync(cancellationToken))
            {
                return probes;
            }

            if (Stopwatch.GetElapsedTime(started) > deadline)
            {
                throw new BenchException($"{_url} did not answer 200 within {deadline.TotalSeconds:0} s ({probes} probes)");
            }

            await Task.Delay(interval, cancellationToken);
        }
    }

    public void Dispose() => _http.Dispose();
}
