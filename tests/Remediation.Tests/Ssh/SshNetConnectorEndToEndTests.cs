using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Remediation.Inventory;
using Remediation.ServiceManagers;
using Remediation.Ssh;
using Remediation.Tests.Fixture;
using Remediation.Tests.ServiceManagers;
using Xunit;
using Xunit.Abstractions;

namespace Remediation.Tests.Ssh;

[Collection(TargetHostCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class SshNetConnectorEndToEndTests
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(15);
    private readonly TargetHostFixture _fixture;
    private readonly ITestOutputHelper _output;
    private readonly TargetDefinition _target;

    public SshNetConnectorEndToEndTests(TargetHostFixture fixture, ITestOutputHelper output)
    {
        _fixture = fixture;
        _output = output;
        _target = FixtureTarget.From(fixture.Facts);
    }

    [Fact]
    public async Task ConnectAsync_PinnedKey_RunsSupervisorctlStatusThroughSudo()
    {
        // Arrange
        SupervisorServiceManager supervisor = SupervisorServiceManager.Instance;
        await using ISshSession session = await FixtureTarget.Connector().ConnectAsync(_target, CancellationToken.None);

        // Act: other test runs may be restarting odoo right now, so read until it is RUNNING (STARTING meanwhile).
        (CommandResult result, ServiceStatus status) = await RunningStatus.ReadAsync(session, supervisor, "odoo");

        // Assert
        Assert.Equal("sudo -n /usr/bin/supervisorctl status odoo", result.Command);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(ServiceState.Running, status.State);
        _output.WriteLine($"captured: {result.Stdout.TrimEnd()} (exit {result.ExitCode}, {result.DurationMs} ms)");
    }

    [Fact]
    public async Task ConnectAsync_WrongPinnedKey_ThrowsMismatchBeforeAuthentication()
    {
        // Arrange: connect through a forwarder, so this connection's lines in sshd's log can be told apart by port.
        const string wrongPin = "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        using var forwarder = new LoopbackForwarder(_fixture.Facts.SshHost, _fixture.Facts.SshPort);
        TargetDefinition target = _target with { HostKey = wrongPin, SshPort = forwarder.Port };
        string sshdLog = Path.Combine(_fixture.Facts.StateDirectory, "sshd.log");
        long logOffset = new FileInfo(sshdLog).Length;
        var logs = new RecordingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));

        // Act
        var error = await Assert.ThrowsAsync<HostKeyMismatchException>(
            () => FixtureTarget.Connector(loggerFactory: loggerFactory).ConnectAsync(target, CancellationToken.None));

        // Assert: the message tells the operator what was presented, what is pinned, and what to do.
        Assert.Equal(
            $"Host key for demo (127.0.0.1:{forwarder.Port}) is {_fixture.Facts.HostKey}, not the pinned {wrongPin} — refusing to connect. "
            + "If the host was rebuilt, verify the new key out of band and update the inventory.",
            error.Message);

        // Assert: sshd saw this connection end before authentication ("[preauth]") and never accepted a key on it.
        int port = await forwarder.UpstreamLocalPort;
        string marker = $"port {port.ToString(CultureInfo.InvariantCulture)}";
        string closed = await TargetHostFixture.WaitForLogLineAsync(sshdLog, logOffset, marker + " [preauth]", TimeSpan.FromSeconds(10));
        string[] lines = [.. TargetHostFixture.ReadFrom(sshdLog, logOffset).Split('\n').Where(l => l.Contains(marker + " ", StringComparison.Ordinal) || l.EndsWith(marker, StringComparison.Ordinal))];
        _output.WriteLine(string.Join('\n', lines));
        Assert.DoesNotContain(lines, l => l.Contains("Accepted", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Messages, m => m.Contains("SSH connected", StringComparison.Ordinal) || m.Contains("running `", StringComparison.Ordinal));
        Assert.NotEmpty(closed);
    }

    [Fact]
    public async Task ConnectAsync_UnauthorizedClientKey_ThrowsUnreachablePermissionDenied()
    {
        // Arrange
        TargetDefinition target = _target with { PrivateKeyFile = TestKeys.WriteThrowawayEd25519Key() };

        // Act
        var error = await Assert.ThrowsAsync<SshUnreachableException>(() => FixtureTarget.Connector().ConnectAsync(target, CancellationToken.None));

        // Assert
        Assert.StartsWith(
            "SSH to demo (127.0.0.1:2222) refused authentication as ops: permission denied (publickey) — check the authorized key for user ops",
            error.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_SudoCommandNotInDropIn_ExitOnePasswordRequired()
    {
        // Arrange
        await using ISshSession session = await FixtureTarget.Connector().ConnectAsync(_target, CancellationToken.None);

        // Act
        CommandResult result = await session.RunAsync(RemoteCommand.RunAsRoot("/usr/bin/supervisorctl", "status", "nosuch"), CommandTimeout, CancellationToken.None);

        // Assert
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("sudo: a password is required\n", result.Stderr);
        Assert.True(SudoRefusal.IsRefused(result));
        var error = Assert.Throws<ServiceManagerException>(() => SupervisorServiceManager.Instance.ParseStatus("nosuch", result));
        Assert.Contains("sudoers drop-in", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_CommandOutlivesTimeout_TimedOutSignalledAndSessionStillUsable()
    {
        // Arrange: a duration nothing else uses, to find the remote process afterwards.
        await using ISshSession session = await FixtureTarget.Connector().ConnectAsync(_target, CancellationToken.None);
        RemoteCommand sleep = RemoteCommand.Run("/usr/bin/sleep", "31.4159");

        // Act
        CommandResult timedOut = await session.RunAsync(sleep, TimeSpan.FromMilliseconds(500), CancellationToken.None);
        CommandResult next = await session.RunAsync(RemoteCommand.Run("/usr/bin/id", "-un"), CommandTimeout, CancellationToken.None);

        // Assert
        Assert.True(timedOut.TimedOut);
        Assert.Null(timedOut.ExitCode);
        Assert.InRange(timedOut.DurationMs, 450, 5000);
        Assert.Equal(0, next.ExitCode);
        Assert.Equal("ops\n", next.Stdout);
        _output.WriteLine($"timed out: signal {timedOut.ExitSignal}, {timedOut.DurationMs} ms");

        // Assert: the remote sleep was signalled, not left running.
        await PollAsync(
            async () => (await session.RunAsync(ProcessCommands.FindLeftovers("ops", "31.4159"), CommandTimeout, CancellationToken.None)).ExitCode == 1,
            TimeSpan.FromSeconds(5),
            "the timed-out remote sleep is still running");
    }

    [Fact]
    public async Task RunAsync_NonZeroExit_IsAResult()
    {
        // Arrange
        await using ISshSession session = await FixtureTarget.Connector().ConnectAsync(_target, CancellationToken.None);

        // Act
        CommandResult result = await session.RunAsync(RemoteCommand.Run("/usr/bin/ls", "/nonexistent-dir"), CommandTimeout, CancellationToken.None);

        // Assert
        Assert.Equal(2, result.ExitCode);
        Assert.False(result.Succeeded);
        Assert.Contains("No such file or directory", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_OutputLongerThanCap_KeptUpToCapAndMarkedTruncated()
    {
        // Arrange: seq 1 100000 prints 588,895 bytes.
        await using ISshSession session = await FixtureTarget.Connector(new SshOptions { MaxOutputBytes = 4096 }).ConnectAsync(_target, CancellationToken.None);

        // Act
        CommandResult result = await session.RunAsync(RemoteCommand.Run("/usr/bin/seq", "1", "100000"), CommandTimeout, CancellationToken.None);

        // Assert
        Assert.Equal(0, result.ExitCode);
        Assert.True(result.OutputTruncated);
        Assert.Equal(4096, result.Stdout.Length);
        Assert.StartsWith("1\n2\n3\n", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_CallerCancels_ThrowsOperationCanceled()
    {
        // Arrange
        await using ISshSession session = await FixtureTarget.Connector().ConnectAsync(_target, CancellationToken.None);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        // Act / Assert
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => session.RunAsync(RemoteCommand.Run("/usr/bin/sleep", "27.1828"), CommandTimeout, cancel.Token));
        CommandResult next = await session.RunAsync(RemoteCommand.Run("/usr/bin/true"), CommandTimeout, CancellationToken.None);
        Assert.Equal(0, next.ExitCode);
    }

    [Fact]
    public async Task RunAsync_ConnectionCutWhileCommandRuns_ThrowsUnreachableThenReconnects()
    {
        // Arrange
        using var forwarder = new LoopbackForwarder(_fixture.Facts.SshHost, _fixture.Facts.SshPort);
        await using ISshSession session = await FixtureTarget.Connector().ConnectAsync(_target with { SshPort = forwarder.Port }, CancellationToken.None);
        Task<CommandResult> running = session.RunAsync(RemoteCommand.Run("/usr/bin/sleep", "5"), CommandTimeout, CancellationToken.None);
        await Task.Delay(300);

        // Act
        forwarder.DropConnections();
        var lost = await Assert.ThrowsAsync<SshUnreachableException>(() => running);
        CommandResult next = await session.RunAsync(RemoteCommand.Run("/usr/bin/id", "-un"), CommandTimeout, CancellationToken.None);

        // Assert
        Assert.StartsWith($"SSH connection to demo (127.0.0.1:{forwarder.Port}) was lost while running `/usr/bin/sleep 5`; it may or may not have run to completion.", lost.Message, StringComparison.Ordinal);
        Assert.Equal("ops\n", next.Stdout);
        Assert.Equal(2, forwarder.Accepted);
        Assert.Equal(1, ((SshNetSession)session).Reconnects);
    }

    [Fact]
    public async Task RunAsync_ConnectionCutBetweenCommands_NextCommandReconnects()
    {
        // Arrange
        using var forwarder = new LoopbackForwarder(_fixture.Facts.SshHost, _fixture.Facts.SshPort);
        await using ISshSession session = await FixtureTarget.Connector().ConnectAsync(_target with { SshPort = forwarder.Port }, CancellationToken.None);
        await session.RunAsync(RemoteCommand.Run("/usr/bin/true"), CommandTimeout, CancellationToken.None);
        forwarder.DropConnections();

        // Act: SSH.NET notices the reset on its own, so the next command finds the connection closed and reopens it.
        await PollAsync(() => Task.FromResult(!((SshNetSession)session).IsConnected), TimeSpan.FromSeconds(5), "the cut connection still looks open");
        CommandResult next = await session.RunAsync(RemoteCommand.Run("/usr/bin/id", "-un"), CommandTimeout, CancellationToken.None);

        // Assert
        Assert.Equal("ops\n", next.Stdout);
        Assert.Equal(1, ((SshNetSession)session).Reconnects);
    }

    [Fact]
    public async Task ConnectAsync_PinnedAlgorithmTheServerLacks_ThrowsUnreachableNamingTheAlgorithm()
    {
        // Arrange: the fixture's sshd has only an ed25519 host key.
        TargetDefinition target = _target with { HostKeyAlgorithm = "rsa-sha2-512" };

        // Act
        var error = await Assert.ThrowsAsync<SshUnreachableException>(() => FixtureTarget.Connector().ConnectAsync(target, CancellationToken.None));

        // Assert
        _output.WriteLine(error.Message);
        Assert.Contains("rsa-sha2-512", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectAndRun_Repeated_MeasuredTimesWithinBounds()
    {
        // Arrange
        SshNetConnector connector = FixtureTarget.Connector();
        var connects = new List<double>();
        var commands = new List<long>();

        // Act
        for (int i = 0; i < 5; i++)
        {
            long started = Stopwatch.GetTimestamp();
            await using ISshSession session = await connector.ConnectAsync(_target, CancellationToken.None);
            connects.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            for (int j = 0; j < 4; j++)
            {
                CommandResult status = await session.RunAsync(SupervisorServiceManager.Instance.Status("odoo"), CommandTimeout, CancellationToken.None);
                CommandResult plain = await session.RunAsync(RemoteCommand.Run("/usr/bin/true"), CommandTimeout, CancellationToken.None);
                commands.Add(plain.DurationMs);
                _output.WriteLine($"supervisorctl status via sudo: {status.DurationMs} ms");
            }
        }

        // Assert
        _output.WriteLine($"connect+auth: {string.Join(", ", connects.Select(c => c.ToString("F0", CultureInfo.InvariantCulture)))} ms");
        _output.WriteLine($"/usr/bin/true on the open connection: {string.Join(", ", commands)} ms");
        Assert.All(connects, c => Assert.InRange(c, 0, 5000));
        Assert.All(commands, c => Assert.InRange(c, 0, 2000));
    }

    private static async Task PollAsync(Func<Task<bool>> condition, TimeSpan timeout, string failure)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail(failure);
            }

            await Task.Delay(50);
        }
    }
}
