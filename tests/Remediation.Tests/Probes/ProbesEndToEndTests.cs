using Remediation.Inventory;
using Remediation.Probes;
using Remediation.Tests.Fixture;
using Remediation.Tests.Ssh;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using Xunit.Abstractions;

namespace Remediation.Tests.Probes;

/// <summary>HTTP, TCP and readiness probes from this host against the fixture's Odoo stand-in, nginx and PostgreSQL.</summary>
[Collection(TargetHostCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class ProbesEndToEndTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    private readonly TargetHostFixture _fixture;
    private readonly ITestOutputHelper _output;
    private readonly TargetDefinition _target;
    private readonly ServiceProvider _services = new ServiceCollection().AddLogging().AddSshAndProbes().BuildServiceProvider();

    public ProbesEndToEndTests(TargetHostFixture fixture, ITestOutputHelper output)
    {
        _fixture = fixture;
        _output = output;
        _target = FixtureTarget.From(fixture.Facts);
    }

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task HttpProbe_OdooHealth_Healthy200()
    {
        // Arrange
        await _fixture.WaitForOdooHealthyAsync(TimeSpan.FromSeconds(30));

        // Act
        ProbeResult result = await Http.ProbeAsync(new Uri(_fixture.Facts.OdooUrl, "/web/health"), Timeout, CancellationToken.None);

        // Assert
        _output.WriteLine(result.Detail);
        Assert.True(result.Healthy);
        Assert.Equal(200, result.StatusCode);
    }

    [Fact]
    public async Task HttpProbe_WebThroughNginx_FollowsRedirectToLogin()
    {
        // Arrange
        await _fixture.WaitForNginxHealthyAsync(TimeSpan.FromSeconds(30));

        // Act
        ProbeResult result = await Http.ProbeAsync(new Uri(_fixture.Facts.NginxUrl, "/web"), Timeout, CancellationToken.None);

        // Assert
        _output.WriteLine(result.Detail);
        Assert.True(result.Healthy);
        Assert.Equal(200, result.StatusCode);
        Assert.Contains("/web/login", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HttpProbe_PortWithoutListener_ConnectionRefused()
    {
        // Act
        ProbeResult result = await Http.ProbeAsync(new Uri($"http://127.0.0.1:{LoopbackPorts.Closed()}/web/health"), Timeout, CancellationToken.None);

        // Assert
        Assert.False(result.Healthy);
        Assert.Equal("connection refused", result.Detail);
    }

    [Fact]
    public async Task TcpProbe_PostgreSql_Healthy()
    {
        // Act
        ProbeResult result = await Tcp.ProbeAsync(_fixture.Facts.PgHost, _fixture.Facts.PgPort, Timeout, CancellationToken.None);

        // Assert
        _output.WriteLine(result.Detail);
        Assert.True(result.Healthy);
    }

    [Fact]
    public async Task TcpProbe_PortWithoutListener_ConnectionRefused()
    {
        // Act
        ProbeResult result = await Tcp.ProbeAsync("127.0.0.1", LoopbackPorts.Closed(), Timeout, CancellationToken.None);

        // Assert
        Assert.False(result.Healthy);
        Assert.Equal("connection refused", result.Detail);
    }

    [Fact]
    public async Task CheckAsync_FixtureInventoryProbes_AllHealthy()
    {
        // Arrange: the three probes of the fixture's inventory (postgresql sql, odoo http, nginx http), plus a TCP one.
        await _fixture.WaitForNginxHealthyAsync(TimeSpan.FromSeconds(30));
        ReadinessProbeDefinition[] probes =
        [
            new() { Sql = true },
            new() { Http = new Uri(_fixture.Facts.OdooUrl, "/web/health") },
            new() { Http = new Uri(_fixture.Facts.NginxUrl, "/web/login") },
            new() { Tcp = $"{_fixture.Facts.PgHost}:{_fixture.Facts.PgPort}" },
        ];

        // Act
        var results = new List<ProbeResult>();
        foreach (ReadinessProbeDefinition probe in probes)
        {
            results.Add(await Checker.CheckAsync(probe, _target, CancellationToken.None));
        }

        // Assert
        _output.WriteLine(string.Join('\n', results.Select(r => r.Detail)));
        Assert.All(results, r => Assert.True(r.Healthy, r.Detail));
    }

    [Fact]
    public async Task CheckAsync_SqlWithWrongPassword_NotHealthyWithServerMessage()
    {
        // Arrange
        string passwordFile = Path.Combine(Path.GetTempPath(), $"remediation-wrong-password-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(passwordFile, "not-the-password\n");
        try
        {
            TargetDefinition target = _target with { Database = _target.Database! with { PasswordFile = passwordFile } };

            // Act
            ProbeResult result = await Checker.CheckAsync(new ReadinessProbeDefinition { Sql = true }, target, CancellationToken.None);

            // Assert
            _output.WriteLine(result.Detail);
            Assert.False(result.Healthy);
            Assert.Contains("password authentication failed", result.Detail, StringComparison.Ordinal);
            Assert.DoesNotContain("not-the-password", result.Detail, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }

    private HttpProbe Http => _services.GetRequiredService<HttpProbe>();

    private TcpProbe Tcp => _services.GetRequiredService<TcpProbe>();

    private ReadinessChecker Checker => _services.GetRequiredService<ReadinessChecker>();
}
