using System.Globalization;
using Remediation.Inventory;
using Remediation.Ssh;
using Remediation.Tests.Fixture;
using Xunit;
using Xunit.Abstractions;

namespace Remediation.Tests.Ssh;

/// <summary>The pool against the fixture's real sshd, through a forwarder that counts (and can cut) TCP connections.</summary>
[Collection(TargetHostCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class PooledSshConnectorEndToEndTests
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(15);
    private readonly TargetHostFixture _fixture;
    private readonly ITestOutputHelper _output;
    private readonly TargetDefinition _target;
    private readonly string _sshdLog;

    public PooledSshConnectorEndToEndTests(TargetHostFixture fixture, ITestOutputHelper output)
    {
        _fixture = fixture;
        _output = output;
        _target = FixtureTarget.From(fixture.Facts);
        _sshdLog = Path.Combine(fixture.Facts.StateDirectory, "sshd.log");
    }

    [Fact]
    public async Task ConnectAsync_SeveralLeasesTwentyConcurrentCommands_OneConnectionOneAuthentication()
    {
        // Arrange
        using var forwarder = new LoopbackForwarder(_fixture.Facts.SshHost, _fixture.Facts.SshPort);
        TargetDefinition target = _target with { SshPort = forwarder.Port };
        long logOffset = new FileInfo(_sshdLog).Length;
        await using PooledSshConnector pool = FixtureTarget.Pool();

        // Act: four activities at once, five commands each, all running side by side (more than sshd's MaxSessions 10).
        ISshSession[] leases = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => pool.ConnectAsync(target, CancellationToken.None)));
        CommandResult[] results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            leases[i % 4].RunAsync(RemoteCommand.Run("/usr/bin/sleep", "0.3"), CommandTimeout, CancellationToken.None)));
        foreach (ISshSession lease in leases)
        {
            await lease.DisposeAsync();
        }

        await using (ISshSession later = await pool.ConnectAsync(target, CancellationToken.None))
        {
            Assert.Equal("ops\n", (await later.RunAsync(RemoteCommand.Run("/usr/bin/id", "-un"), CommandTimeout, CancellationToken.None)).Stdout);
        }

        // Assert: every command ran, over one TCP connection that sshd authenticated once.
        Assert.All(results, r => Assert.Equal(0, r.ExitCode));
        Assert.Equal(1, forwarder.Accepted);
        string marker = $"port {(await forwarder.UpstreamLocalPort).ToString(CultureInfo.InvariantCulture)} ";
        string[] accepted = AcceptedLines(logOffset, marker);
        _output.WriteLine(string.Join('\n', accepted));
        Assert.Single(accepted);
        _output.WriteLine($"durations: {string.Join(", ", results.Select(r => r.DurationMs))} ms");
    }

    [Fact]
    public async Task ConnectAsync_ConnectionCutBetweenLeases_NextLeaseGetsFreshConnection()
    {
        // Arrange
        using var forwarder = new LoopbackForwarder(_fixture.Facts.SshHost, _fixture.Facts.SshPort);
        TargetDefinition target = _target with { SshPort = forwarder.Port };
        await using PooledSshConnector pool = FixtureTarget.Pool();
        await using (ISshSession first = await pool.ConnectAsync(target, CancellationToken.None))
        {
            await first.RunAsync(RemoteCommand.Run("/usr/bin/true"), CommandTimeout, CancellationToken.None);
        }

        // Act: SSH.NET notices the reset on its own; the pool then holds a closed connection.
        forwarder.DropConnections();
        await PollAsync(() => !pool.Find(target)!.IsConnected, "the cut connection still looks open");
        await using ISshSession next = await pool.ConnectAsync(target, CancellationToken.None);
        CommandResult result = await next.RunAsync(RemoteCommand.Run("/usr/bin/id", "-un"), CommandTimeout, CancellationToken.None);

        // Assert
        Assert.Equal("ops\n", result.Stdout);
        Assert.Equal(2, forwarder.Accepted);
        Assert.Equal(2, pool.Find(target)!.Opened);
    }

    [Fact]
    public async Task RunAsync_ConnectionCutWhileCommandRuns_ThrowsUnreachableThenSameLeaseReconnects()
    {
        // Arrange
        using var forwarder = new LoopbackForwarder(_fixture.Facts.SshHost, _fixture.Facts.SshPort);
        TargetDefinition target = _target with { SshPort = forwarder.Port };
        await using PooledSshConnector pool = FixtureTarget.Pool();
        await using ISshSession lease = await pool.ConnectAsync(target, CancellationToken.None);
        Task<CommandResult> running = lease.RunAsync(RemoteCommand.Run("/usr/bin/sleep", "5"), CommandTimeout, CancellationToken.None);
        await Task.Delay(300);

        // Act
        forwarder.DropConnections();
        var lost = await Assert.ThrowsAsync<SshUnreachableException>(() => running);
        CommandResult next = await lease.RunAsync(RemoteCommand.Run("/usr/bin/id", "-un"), CommandTimeout, CancellationToken.None);

        // Assert
        Assert.StartsWith($"SSH connection to demo (127.0.0.1:{forwarder.Port}) was lost while running `/usr/bin/sleep 5`; it may or may not have run to completion.", lost.Message, StringComparison.Ordinal);
        Assert.Equal("ops\n", next.Stdout);
        Assert.Equal(2, forwarder.Accepted);
    }

    [Fact]
    public async Task ConnectAsync_WrongPinnedKey_MismatchBeforeAuthenticationEveryTime()
    {
        // Arrange
        const string wrongPin = "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        using var forwarder = new LoopbackForwarder(_fixture.Facts.SshHost, _fixture.Facts.SshPort);
        TargetDefinition target = _target with { HostKey = wrongPin, SshPort = forwarder.Port };
        long logOffset = new FileInfo(_sshdLog).Length;
        await using PooledSshConnector pool = FixtureTarget.Pool();

        // Act: a second activity asks again later; the pool has nothing to hand out and checks the key again.
        var first = await Assert.ThrowsAsync<HostKeyMismatchException>(() => pool.ConnectAsync(target, CancellationToken.None));
        var second = await Assert.ThrowsAsync<HostKeyMismatchException>(() => pool.ConnectAsync(target, CancellationToken.None));

        // Assert
        Assert.StartsWith($"Host key for demo (127.0.0.1:{forwarder.Port}) is {_fixture.Facts.HostKey}, not the pinned {wrongPin}", first.Message, StringComparison.Ordinal);
        Assert.Equal(first.Message, second.Message);
        Assert.Equal(2, forwarder.Accepted);
        Assert.False(pool.Find(target)!.IsConnected);
        string marker = $"port {(await forwarder.UpstreamLocalPort).ToString(CultureInfo.InvariantCulture)}";
        await TargetHostFixture.WaitForLogLineAsync(_sshdLog, logOffset, marker + " [preauth]", TimeSpan.FromSeconds(10));
        Assert.Empty(AcceptedLines(logOffset, marker + " "));
    }

    private string[] AcceptedLines(long logOffset, string marker) =>
        [.. TargetHostFixture.ReadFrom(_sshdLog, logOffset).Split('\n')
            .Where(l => l.Contains("Accepted publickey", StringComparison.Ordinal) && (l.Contains(marker, StringComparison.Ordinal) || l.EndsWith(marker.TrimEnd(), StringComparison.Ordinal)))];

    private static async Task PollAsync(Func<bool> condition, string failure)
    {
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(50);
        }
    }
}
