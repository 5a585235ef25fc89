using Microsoft.Extensions.Logging;

namespace Remediation.Probes;

/// <summary>GETs a URL from the remediation host: 2xx (after redirects) is healthy; network errors and timeouts are "not healthy".</summary>
public sealed partial class HttpProbe
{
    /// <summary>Name of the <see cref="IHttpClientFactory"/> client configured by <c>AddSshAndProbes</c>.</summary>
    public const string ClientName = "Remediation.Probes.Http";

    private readonly IHttpClientFactory _clients;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<HttpProbe> _logger;

    public HttpProbe(IHttpClientFactory clients, TimeProvider timeProvider, ILogger<HttpProbe> logger)
    {
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _clients = clients;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <exception cref="OperationCanceledException">Only when <paramref name="cancellationToken"/> is cancelled.</exception>
    public async Task<ProbeResult> ProbeAsync(Uri url, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        HttpClient client = _clients.CreateClient(ClientName);
        long started = _timeProvider.GetTimestamp();
        ProbeResult result;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);

            // Headers are the answer; the body (a login page) is not read.
            using HttpResponseMessage response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            long elapsed = ElapsedMs(started);
            int code = (int)response.StatusCode;
            string reason = string.IsNullOrEmpty(response.ReasonPhrase) ? response.StatusCode.ToString() : response.ReasonPhrase;
            Uri? finalUrl = response.RequestMessage?.RequestUri;
            string redirected = finalUrl is not null && finalUrl != url ? $" (redirected to {finalUrl.AbsolutePath})" : "";
            result = new ProbeResult(response.IsSuccessStatusCode, elapsed, $"{code} {reason} in {elapsed} ms{redirected}", code);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException)
        {
            result = new ProbeResult(false, ElapsedMs(started), ProbeFailure.TimedOut(timeout));
        }
        catch (HttpRequestException ex)
        {
            result = new ProbeResult(false, ElapsedMs(started), ProbeFailure.Describe(ex));
        }
        catch (System.Net.Sockets.SocketException ex)
        {
            // HttpConnectionPool reads the new socket's RemoteEndPoint after connecting; when the peer has already gone
            // (a service dying as it accepts, as a refused start does), that throws ENOTCONN unwrapped.
            result = new ProbeResult(false, ElapsedMs(started), ProbeFailure.Describe(ex));
        }
        catch (IOException ex)
        {
            result = new ProbeResult(false, ElapsedMs(started), ex.InnerException is System.Net.Sockets.SocketException socket ? ProbeFailure.Describe(socket) : ex.Message);
        }

        LogProbed(url, result.Healthy, result.Detail);
        return result;
    }

    private long ElapsedMs(long started) => (long)_timeProvider.GetElapsedTime(started).TotalMilliseconds;

    [LoggerMessage(Level = LogLevel.Debug, Message = "HTTP probe {Url}: healthy {Healthy}, {Detail}")]
    private partial void LogProbed(Uri url, bool healthy, string detail);
}
