using Microsoft.Extensions.DependencyInjection;
using Remediation.Inventory;
using Remediation.Probes;
using Xunit;

namespace Remediation.Tests.Probes;

[Trait("Category", "Unit")]
public sealed class ReadinessCheckerTests : IAsyncLifetime
{
    private static readonly TargetDefinition Target = new() { Name = "demo", Address = "127.0.0.1" };
    private readonly ServiceProvider _services = new ServiceCollection().AddLogging().AddSshAndProbes().BuildServiceProvider();

    private ReadinessChecker Checker => _services.GetRequiredService<ReadinessChecker>();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _services.DisposeAsync();

    [Theory]
    [InlineData("127.0.0.1:5432", "127.0.0.1", 5432)]
    [InlineData("db.internal:6432", "db.internal", 6432)]
    [InlineData("[::1]:8069", "::1", 8069)]
    public void ParseEndpoint_HostPort_Split(string endpoint, string host, int port)
    {
        // Act
        (string parsedHost, int parsedPort) = ReadinessChecker.ParseEndpoint(endpoint, Target);

        // Assert
        Assert.Equal((host, port), (parsedHost, parsedPort));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData(":5432")]
    [InlineData("127.0.0.1:0")]
    [InlineData("127.0.0.1:70000")]
    public void ParseEndpoint_NotHostPort_Throws(string endpoint)
    {
        // Act / Assert
        Assert.Throws<InvalidOperationException>(() => ReadinessChecker.ParseEndpoint(endpoint, Target));
    }

    [Fact]
    public async Task CheckAsync_TcpListening_Healthy()
    {
        // Arrange
        using var listener = LoopbackPorts.Listen();
        var probe = new ReadinessProbeDefinition { Tcp = $"127.0.0.1:{LoopbackPorts.PortOf(listener)}" };

        // Act
        ProbeResult result = await Checker.CheckAsync(probe, Target, CancellationToken.None);

        // Assert
        Assert.True(result.Healthy);
    }

    [Fact]
    public async Task CheckAsync_HttpRefused_NotHealthy()
    {
        // Arrange
        var probe = new ReadinessProbeDefinition { Http = new Uri($"http://127.0.0.1:{LoopbackPorts.Closed()}/web/health") };

        // Act
        ProbeResult result = await Checker.CheckAsync(probe, Target, CancellationToken.None);

        // Assert
        Assert.False(result.Healthy);
        Assert.Equal("connection refused", result.Detail);
    }

    [Fact]
    public async Task CheckAsync_SqlServerDown_NotHealthyWithNpgsqlMessage()
    {
        // Arrange
        int port = LoopbackPorts.Closed();
        TargetDefinition target = Target with
        {
            Database = new DatabaseEndpoint { Host = "127.0.0.1", Port = port, Name = "odoo_production", User = "remediation" },
        };

        // Act
        ProbeResult result = await Checker.CheckAsync(new ReadinessProbeDefinition { Sql = true }, target, CancellationToken.None);

        // Assert
        Assert.False(result.Healthy);
        Assert.Contains($"127.0.0.1:{port}", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_SqlWithoutDatabaseEndpoint_Throws()
    {
        // Act
        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => Checker.CheckAsync(new ReadinessProbeDefinition { Sql = true }, Target, CancellationToken.None));

        // Assert
        Assert.Contains("no database endpoint", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_NoProbeKind_Throws()
    {
        // Act / Assert
        await Assert.ThrowsAsync<InvalidOperationException>(
            () => Checker.CheckAsync(new ReadinessProbeDefinition(), Target, CancellationToken.None));
    }
}
