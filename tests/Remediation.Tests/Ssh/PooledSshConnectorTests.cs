using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Remediation.Inventory;
using Remediation.Ssh;
using Xunit;

namespace Remediation.Tests.Ssh;

[Trait("Category", "Unit")]
public sealed class PooledSshConnectorTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);
    private static readonly RemoteCommand True = RemoteCommand.Run("/usr/bin/true");

    private static readonly TargetDefinition Demo = new()
    {
        Name = "demo",
        Address = "127.0.0.1",
        SshPort = 2222,
        SshUser = "ops",
        HostKey = "SHA256:2UKaNjRNelESpwPlDThHABLWAX/qlAXcDfi5Hpkj6oc",
        PrivateKeyFile = "/var/lib/remediation-fixture/client_ed25519",
    };

    private readonly FakeConnectionFactory _factory = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
    private PooledSshConnector _pool;

    public PooledSshConnectorTests()
    {
        _pool = Pool(new SshOptions());
    }

    public void Dispose() => _pool.Dispose();

    [Fact]
    public async Task ConnectAsync_LeasesOneAfterAnother_ShareOneConnection()
    {
        // Act
        string first;
        await using (ISshSession lease = await _pool.ConnectAsync(Demo, CancellationToken.None))
        {
            first = (await lease.RunAsync(True, Timeout, CancellationToken.None)).Stdout;
        }

        await using ISshSession second = await _pool.ConnectAsync(Demo, CancellationToken.None);
        CommandResult result = await second.RunAsync(True, Timeout, CancellationToken.None);

        // Assert: returning a lease leaves the connection open for the next one.
        FakeConnection connection = Assert.Single(_factory.Opened);
        Assert.Equal("1", first);
        Assert.Equal("1", result.Stdout);
        Assert.False(connection.Disposed);
        Assert.Equal(1, _pool.Find(Demo)!.Leases);
    }

    [Fact]
    public async Task ConnectAsync_ManyLeasesAtOnce_OneConnect()
    {
        // Arrange: a slow connect, so every lease asks while the first connect is still under way.
        _factory.OpenDelay = TimeSpan.FromMilliseconds(100);

        // Act
        ISshSession[] leases = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => _pool.ConnectAsync(Demo, CancellationToken.None)));
        CommandResult[] results = await Task.WhenAll(leases.Select(l => l.RunAsync(True, Timeout, CancellationToken.None)));
        foreach (ISshSession lease in leases)
        {
            await lease.DisposeAsync();
        }

        // Assert
        Assert.Single(_factory.Opened);
        Assert.All(results, r => Assert.Equal("1", r.Stdout));
        Assert.Equal(0, _pool.Find(Demo)!.Leases);
    }

    [Fact]
    public async Task ConnectAsync_OtherTarget_OtherConnection()
    {
        // Act
        await using ISshSession demo = await _pool.ConnectAsync(Demo, CancellationToken.None);
        await using ISshSession other = await _pool.ConnectAsync(Demo with { Name = "other", Address = "127.0.0.2" }, CancellationToken.None);

        // Assert
        Assert.Equal(2, _factory.Opened.Count);
    }

    [Fact]
    public async Task RunAsync_ConnectionLostDuringCommand_ThrowsAndNextCommandGetsFreshConnection()
    {
        // Arrange
        await using ISshSession lease = await _pool.ConnectAsync(Demo, CancellationToken.None);
        await lease.RunAsync(True, Timeout, CancellationToken.None);
        _factory.Opened[0].LoseUnnoticed();

        // Act
        await Assert.ThrowsAsync<SshUnreachableException>(() => lease.RunAsync(True, Timeout, CancellationToken.None));
        await using ISshSession next = await _pool.ConnectAsync(Demo, CancellationToken.None);
        CommandResult afterLoss = await lease.RunAsync(True, Timeout, CancellationToken.None);
        CommandResult onNextLease = await next.RunAsync(True, Timeout, CancellationToken.None);

        // Assert: the lost connection left the pool (and was closed); both leases now share the new one.
        Assert.Equal(2, _factory.Opened.Count);
        Assert.True(_factory.Opened[0].Disposed);
        Assert.Equal("2", afterLoss.Stdout);
        Assert.Equal("2", onNextLease.Stdout);
    }

    [Fact]
    public async Task RunAsync_LostWhileCommandsRun_AllOnItFailAndOneReconnectFollows()
    {
        // Arrange
        _factory.Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using ISshSession lease = await _pool.ConnectAsync(Demo, CancellationToken.None);
        Task<CommandResult>[] running = [.. Enumerable.Range(0, 3).Select(_ => lease.RunAsync(True, Timeout, CancellationToken.None))];
        await PollAsync(() => _factory.Opened[0].Running == 3);

        // Act
        _factory.Opened[0].Lose();
        _factory.Hold.SetResult();
        _factory.Hold = null;
        foreach (Task<CommandResult> command in running)
        {
            await Assert.ThrowsAsync<SshUnreachableException>(() => command);
        }

        CommandResult[] after = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => lease.RunAsync(True, Timeout, CancellationToken.None)));

        // Assert
        Assert.Equal(2, _factory.Opened.Count);
        Assert.All(after, r => Assert.Equal("2", r.Stdout));
    }

    [Fact]
    public async Task ConnectAsync_ConnectionClosedBetweenLeases_Reconnects()
    {
        // Arrange
        await using (ISshSession lease = await _pool.ConnectAsync(Demo, CancellationToken.None))
        {
            await lease.RunAsync(True, Timeout, CancellationToken.None);
        }

        _factory.Opened[0].Lose();

        // Act
        await using ISshSession next = await _pool.ConnectAsync(Demo, CancellationToken.None);

        // Assert: the lease itself connected, as an unpooled connect would.
        Assert.Equal(2, _factory.Opened.Count);
        Assert.True(_pool.Find(Demo)!.IsConnected);
    }

    [Fact]
    public async Task ConnectAsync_HostKeyMismatchWhileOthersWait_EveryWaiterGetsItFromOneAttempt()
    {
        // Arrange
        _factory.OpenDelay = TimeSpan.FromMilliseconds(100);
        _factory.FailNextOpen(new HostKeyMismatchException("Host key for demo (127.0.0.1:2222) is SHA256:x, not the pinned SHA256:y — refusing to connect."));

        // Act
        Task<ISshSession>[] leases = [.. Enumerable.Range(0, 5).Select(_ => _pool.ConnectAsync(Demo, CancellationToken.None))];

        // Assert: the mismatch is not retried by the waiters, nothing is pooled, no lease is left counted.
        foreach (Task<ISshSession> lease in leases)
        {
            var error = await Assert.ThrowsAsync<HostKeyMismatchException>(() => lease);
            Assert.StartsWith("Host key for demo", error.Message, StringComparison.Ordinal);
        }

        Assert.Empty(_factory.Opened);
        Assert.False(_pool.Find(Demo)!.IsConnected);
        Assert.Equal(0, _pool.Find(Demo)!.Leases);
    }

    [Fact]
    public async Task ConnectAsync_AfterUnreachable_NextConnectTriesAgain()
    {
        // Arrange
        _factory.FailNextOpen(new SshUnreachableException("Cannot reach demo (127.0.0.1:2222): connection refused."));
        await Assert.ThrowsAsync<SshUnreachableException>(() => _pool.ConnectAsync(Demo, CancellationToken.None));

        // Act
        await using ISshSession lease = await _pool.ConnectAsync(Demo, CancellationToken.None);

        // Assert
        Assert.Single(_factory.Opened);
        Assert.Equal(1, _pool.Find(Demo)!.Leases);
    }

    [Fact]
    public async Task IdleTimeout_NoLeaseForTheWholePeriod_ClosesConnectionAndNextLeaseReopens()
    {
        // Arrange
        await using (ISshSession lease = await _pool.ConnectAsync(Demo, CancellationToken.None))
        {
            await lease.RunAsync(True, Timeout, CancellationToken.None);
        }

        // Act / Assert: open just before the default two minutes are up, closed at two minutes.
        _time.Advance(TimeSpan.FromMinutes(2) - TimeSpan.FromMilliseconds(1));
        Assert.False(_factory.Opened[0].Disposed);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(_factory.Opened[0].Disposed);

        await using ISshSession next = await _pool.ConnectAsync(Demo, CancellationToken.None);
        Assert.Equal("2", (await next.RunAsync(True, Timeout, CancellationToken.None)).Stdout);
    }

    [Fact]
    public async Task IdleTimeout_LeaseHeldLongerThanPeriod_ConnectionStaysOpen()
    {
        // Arrange
        await using ISshSession held = await _pool.ConnectAsync(Demo, CancellationToken.None);
        await using (ISshSession other = await _pool.ConnectAsync(Demo, CancellationToken.None))
        {
            await other.RunAsync(True, Timeout, CancellationToken.None);
        }

        // Act: a readiness wait may hold a lease for minutes without a command.
        _time.Advance(TimeSpan.FromMinutes(10));

        // Assert
        Assert.False(_factory.Opened[0].Disposed);
        Assert.Equal("1", (await held.RunAsync(True, Timeout, CancellationToken.None)).Stdout);
    }

    [Fact]
    public async Task IdleTimeout_LeasedAgainBeforePeriodEnds_ClockStartsOver()
    {
        // Arrange
        _pool.Dispose();
        _pool = Pool(new SshOptions { IdleTimeout = TimeSpan.FromSeconds(30) });
        await (await _pool.ConnectAsync(Demo, CancellationToken.None)).DisposeAsync();
        _time.Advance(TimeSpan.FromSeconds(20));
        await (await _pool.ConnectAsync(Demo, CancellationToken.None)).DisposeAsync();

        // Act
        _time.Advance(TimeSpan.FromSeconds(20));
        bool openAfter40 = !_factory.Opened[0].Disposed;
        _time.Advance(TimeSpan.FromSeconds(10));

        // Assert
        Assert.True(openAfter40);
        Assert.True(_factory.Opened[0].Disposed);
        Assert.Single(_factory.Opened);
    }

    [Fact]
    public async Task RunAsync_MoreCommandsThanChannels_QueuedNeverMoreThanCapAtOnce()
    {
        // Arrange
        _pool.Dispose();
        _pool = Pool(new SshOptions { MaxChannelsPerConnection = 3 });
        _factory.Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        ISshSession[] leases = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => _pool.ConnectAsync(Demo, CancellationToken.None)));

        // Act: four leases, twenty commands.
        Task<CommandResult>[] commands = [.. Enumerable.Range(0, 20).Select(i => leases[i % 4].RunAsync(True, Timeout, CancellationToken.None))];
        await PollAsync(() => _factory.Opened[0].Running == 3);
        await Task.Delay(50);
        int runningWhileHeld = _factory.Opened[0].Running;
        int completedWhileHeld = commands.Count(c => c.IsCompleted);
        _factory.Hold.SetResult();
        CommandResult[] results = await Task.WhenAll(commands);

        // Assert
        Assert.Equal(3, runningWhileHeld);
        Assert.Equal(0, completedWhileHeld);
        Assert.Equal(3, _factory.Opened[0].MaxRunning);
        Assert.Equal(20, results.Length);
        Assert.Single(_factory.Opened);
        foreach (ISshSession lease in leases)
        {
            await lease.DisposeAsync();
        }
    }

    [Fact]
    public async Task RunAsync_QueuedCommandCancelled_ThrowsAndFreesNothingItDidNotTake()
    {
        // Arrange
        _pool.Dispose();
        _pool = Pool(new SshOptions { MaxChannelsPerConnection = 1 });
        _factory.Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using ISshSession lease = await _pool.ConnectAsync(Demo, CancellationToken.None);
        Task<CommandResult> first = lease.RunAsync(True, Timeout, CancellationToken.None);
        await PollAsync(() => _factory.Opened[0].Running == 1);
        using var cancel = new CancellationTokenSource();

        // Act
        Task<CommandResult> queued = lease.RunAsync(True, Timeout, cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued);
        _factory.Hold.SetResult();
        _factory.Hold = null;
        await first;

        // Assert: still exactly one channel to hand out.
        await lease.RunAsync(True, Timeout, CancellationToken.None);
        Assert.Equal(1, _factory.Opened[0].MaxRunning);
    }

    [Fact]
    public async Task DisposeLease_Twice_ReturnsOnceAndLeaseIsUnusable()
    {
        // Arrange
        ISshSession lease = await _pool.ConnectAsync(Demo, CancellationToken.None);
        await using ISshSession other = await _pool.ConnectAsync(Demo, CancellationToken.None);

        // Act
        await lease.DisposeAsync();
        await lease.DisposeAsync();

        // Assert
        Assert.Equal(1, _pool.Find(Demo)!.Leases);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => lease.RunAsync(True, Timeout, CancellationToken.None));
    }

    [Fact]
    public async Task DisposePool_ClosesConnectionsAndRefusesNewLeases()
    {
        // Arrange
        ISshSession lease = await _pool.ConnectAsync(Demo, CancellationToken.None);

        // Act
        await _pool.DisposeAsync();

        // Assert
        Assert.True(_factory.Opened[0].Disposed);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => lease.RunAsync(True, Timeout, CancellationToken.None));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => _pool.ConnectAsync(Demo, CancellationToken.None));
        await lease.DisposeAsync();
    }

    private PooledSshConnector Pool(SshOptions options) =>
        new(_factory, Options.Create(options), _time, NullLogger<PooledSshConnector>.Instance);

    private static async Task PollAsync(Func<bool> condition)
    {
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 15 s");
            await Task.Delay(5);
        }
    }
}
