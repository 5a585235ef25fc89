using Microsoft.Extensions.Logging.Abstractions;
using Remediation.Probes;
using Xunit;

namespace Remediation.Tests.Probes;

[Trait("Category", "Unit")]
public sealed class TcpProbeTests
{
    private readonly TcpProbe _probe = new(TimeProvider.System, NullLogger<TcpProbe>.Instance);

    [Fact]
    public async Task ProbeAsync_Listening_Healthy()
    {
        // Arrange
        using var listener = LoopbackPorts.Listen();

        // Act
        ProbeResult result = await _probe.ProbeAsync("127.0.0.1", LoopbackPorts.PortOf(listener), TimeSpan.FromSeconds(2), CancellationToken.None);

        // Assert
        Assert.True(result.Healthy);
        Assert.Matches("^connected in [0-9]+ ms$", result.Detail);
    }

    [Fact]
    public async Task ProbeAsync_NothingListening_ConnectionRefused()
    {
        // Act
        ProbeResult result = await _probe.ProbeAsync("127.0.0.1", LoopbackPorts.Closed(), TimeSpan.FromSeconds(2), CancellationToken.None);

        // Assert
        Assert.False(result.Healthy);
        Assert.Equal("connection refused", result.Detail);
    }

    [Fact]
    public async Task ProbeAsync_AlreadyCancelled_Throws()
    {
        // Arrange
        using var listener = LoopbackPorts.Listen();
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        // Act / Assert
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => _probe.ProbeAsync("127.0.0.1", LoopbackPorts.PortOf(listener), TimeSpan.FromSeconds(2), cancel.Token));
    }
}
