using Microsoft.Extensions.DependencyInjection;
using Remediation.Probes;
using Xunit;

namespace Remediation.Tests.Probes;

[Trait("Category", "Unit")]
public sealed class HttpProbeTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddLogging().AddSshAndProbes().BuildServiceProvider();
    private readonly TinyHttpServer _server = new(new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["/web/health"] = "HTTP/1.1 200 OK",
        ["/web"] = "HTTP/1.1 303 See Other\r\nLocation: /web/login",
        ["/web/login"] = "HTTP/1.1 200 OK",
        ["/broken"] = "HTTP/1.1 502 Bad Gateway",
    });

    private HttpProbe Probe => _services.GetRequiredService<HttpProbe>();

    public void Dispose()
    {
        _server.Dispose();
        _services.Dispose();
    }

    [Fact]
    public async Task ProbeAsync_200_HealthyWithStatusAndLatency()
    {
        // Act
        ProbeResult result = await Probe.ProbeAsync(_server.Url("/web/health"), TimeSpan.FromSeconds(5), CancellationToken.None);

        // Assert
        Assert.True(result.Healthy);
        Assert.Equal(200, result.StatusCode);
        Assert.Matches("^200 OK in [0-9]+ ms$", result.Detail);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ProbeAsync_SocketGoneAsItOpened_NotHealthyInsteadOfThrowing(bool wrappedInIOException)
    {
        // What HttpConnectionPool throws, unwrapped, when the peer closed before it read the socket's remote end point.
        var notConnected = new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.NotConnected);
        Exception thrown = wrappedInIOException ? new IOException("Unable to read data from the transport connection", notConnected) : notConnected;
        using ServiceProvider services = new ServiceCollection().AddLogging().AddSshAndProbes()
            .AddHttpClient(HttpProbe.ClientName).ConfigurePrimaryHttpMessageHandler(() => new ThrowingHandler(thrown)).Services
            .BuildServiceProvider();

        ProbeResult result = await services.GetRequiredService<HttpProbe>().ProbeAsync(_server.Url("/web/health"), TimeSpan.FromSeconds(5), CancellationToken.None);

        Assert.False(result.Healthy);
        Assert.Equal("connection closed as it opened", result.Detail);
    }

    private sealed class ThrowingHandler(Exception exception) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => Task.FromException<HttpResponseMessage>(exception);
    }

    [Fact]
    public async Task ProbeAsync_RedirectToLogin_FollowsAndIsHealthy()
    {
        // Act
        ProbeResult result = await Probe.ProbeAsync(_server.Url("/web"), TimeSpan.FromSeconds(5), CancellationToken.None);

        // Assert
        Assert.True(result.Healthy);
        Assert.Equal(200, result.StatusCode);
        Assert.EndsWith("(redirected to /web/login)", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProbeAsync_502_NotHealthyWithStatus()
    {
        // Act
        ProbeResult result = await Probe.ProbeAsync(_server.Url("/broken"), TimeSpan.FromSeconds(5), CancellationToken.None);

        // Assert
        Assert.False(result.Healthy);
        Assert.Equal(502, result.StatusCode);
        Assert.StartsWith("502 Bad Gateway in ", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProbeAsync_NothingListening_ConnectionRefused()
    {
        // Arrange
        var url = new Uri($"http://127.0.0.1:{LoopbackPorts.Closed()}/web/health");

        // Act
        ProbeResult result = await Probe.ProbeAsync(url, TimeSpan.FromSeconds(5), CancellationToken.None);

        // Assert
        Assert.False(result.Healthy);
        Assert.Null(result.StatusCode);
        Assert.Equal("connection refused", result.Detail);
    }

    [Fact]
    public async Task ProbeAsync_NoAnswer_NotHealthyAfterTimeout()
    {
        // Act
        ProbeResult result = await Probe.ProbeAsync(_server.Url("/hang"), TimeSpan.FromMilliseconds(300), CancellationToken.None);

        // Assert
        Assert.False(result.Healthy);
        Assert.Equal("no answer within 300 ms", result.Detail);
        Assert.InRange(result.LatencyMs, 250, 5000);
    }

    [Fact]
    public async Task ProbeAsync_CallerCancels_Throws()
    {
        // Arrange
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        // Act / Assert
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => Probe.ProbeAsync(_server.Url("/hang"), TimeSpan.FromSeconds(10), cancel.Token));
    }
}
