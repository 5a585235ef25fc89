using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using Remediation.Inventory;

namespace Remediation.Ssh;

/// <summary>
/// The one shared connection to one target: handed out as leases, reopened when lost (host key checked again),
/// closed after an idle period, and never running more than a fixed number of channels at once.
/// </summary>
internal sealed partial class PooledTargetConnection : IDisposable
{
    private readonly TargetDefinition _target;
    private readonly ISshConnectionFactory _factory;
    private readonly TimeSpan _idleTimeout;
    private readonly int _maxChannels;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _connectGate = new(1, 1);
    private readonly SemaphoreSlim _channels;
    private readonly ITimer _idleTimer;
    private ISshConnection? _current;
    private int _leases;
    private long _connectsFinished;
    private ExceptionDispatchInfo? _lastConnectFailure;
    private int _opened;
    private bool _disposed;

    public PooledTargetConnection(TargetDefinition target, ISshConnectionFactory factory, SshOptions options, TimeProvider timeProvider, ILogger logger)
    {
        _target = target;
        _factory = factory;
        _idleTimeout = options.IdleTimeout;
        _maxChannels = options.MaxChannelsPerConnection;
        _timeProvider = timeProvider;
        _logger = logger;
        _channels = new SemaphoreSlim(_maxChannels, _maxChannels);
        _idleTimer = timeProvider.CreateTimer(_ => CloseIfIdle(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Connections opened so far (the first and every reconnect).</summary>
    public int Opened => Volatile.Read(ref _opened);

    /// <summary>Leases handed out and not yet returned.</summary>
    public int Leases
    {
        get
        {
            lock (_lock)
            {
                return _leases;
            }
        }
    }

    /// <summary>Whether a connection is open now.</summary>
    public bool IsConnected => Volatile.Read(ref _current)?.IsConnected == true;

    /// <summary>
    /// A lease on the connection, opening it first when there is none (so an unreachable target or a wrong host
    /// key fails here, as an unpooled connect would).
    /// </summary>
    public async Task<ISshSession> LeaseAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _leases++;
            _idleTimer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }

        try
        {
            await GetConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Return();
            throw;
        }

        return new SshLease(this);
    }

    /// <summary>Runs a command on the shared connection once one of its channels is free.</summary>
    public async Task<CommandResult> RunAsync(RemoteCommand command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        long queued = _timeProvider.GetTimestamp();
        await _channels.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            TimeSpan waited = _timeProvider.GetElapsedTime(queued);
            if (waited >= TimeSpan.FromMilliseconds(1))
            {
                LogWaitedForChannel(_target.Name, (long)waited.TotalMilliseconds, _maxChannels, command.ToString());
            }

            ISshConnection connection = await GetConnectionAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await connection.RunAsync(command, timeout, cancellationToken).ConfigureAwait(false);
            }
            catch (SshUnreachableException)
            {
                // Lost: the pool forgets it, so the next command (of any lease) opens a fresh one.
                Drop(connection);
                throw;
            }
        }
        finally
        {
            _channels.Release();
        }
    }

    /// <summary>A lease came back; the last one starts the idle clock.</summary>
    public void Return()
    {
        lock (_lock)
        {
            _leases--;
            if (_leases == 0 && !_disposed)
            {
                _idleTimer.Change(_idleTimeout, Timeout.InfiniteTimeSpan);
            }
        }
    }

    public void Dispose()
    {
        ISshConnection? connection;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            connection = _current;
            _current = null;
        }

        _idleTimer.Dispose();
        connection?.Dispose();
    }

    private async Task<ISshConnection> GetConnectionAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _current) is { IsConnected: true } open)
        {
            return open;
        }

        long finishedBefore = Interlocked.Read(ref _connectsFinished);
        await _connectGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ISshConnection? current;
            lock (_lock)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                current = _current;
            }

            if (current is { IsConnected: true })
            {
                return current;
            }

            // A connect finished while this caller waited, and failed: a target that just refused (or showed the
            // wrong key) is not asked again by every waiter in turn.
            if (Interlocked.Read(ref _connectsFinished) != finishedBefore && _lastConnectFailure is { } failure)
            {
                failure.Throw();
            }

            if (current is not null)
            {
                LogReconnecting(_target.Name);
                Drop(current);
            }

            _lastConnectFailure = null;
            ISshConnection opened;
            try
            {
                opened = await _factory.OpenAsync(_target, cancellationToken).ConfigureAwait(false);
            }
            catch (HostKeyMismatchException ex)
            {
                // Never retried: nothing of this target stays pooled, and the error goes to every waiter.
                _lastConnectFailure = ExceptionDispatchInfo.Capture(ex);
                LogEvictedOnMismatch(_target.Name);
                throw;
            }
            catch (SshUnreachableException ex)
            {
                _lastConnectFailure = ExceptionDispatchInfo.Capture(ex);
                throw;
            }
            finally
            {
                Interlocked.Increment(ref _connectsFinished);
            }

            lock (_lock)
            {
                if (_disposed)
                {
                    opened.Dispose();
                    throw new ObjectDisposedException(nameof(PooledTargetConnection));
                }

                _current = opened;
            }

            int count = Interlocked.Increment(ref _opened);
            LogOpened(_target.Name, count);
            return opened;
        }
        finally
        {
            _connectGate.Release();
        }
    }

    private void Drop(ISshConnection connection)
    {
        bool wasCurrent;
        lock (_lock)
        {
            wasCurrent = ReferenceEquals(_current, connection);
            if (wasCurrent)
            {
                _current = null;
            }
        }

        if (wasCurrent)
        {
            LogDropped(_target.Name);
        }

        connection.Dispose();
    }

    private void CloseIfIdle()
    {
        ISshConnection? connection;
        lock (_lock)
        {
            if (_disposed || _leases > 0)
            {
                return;
            }

            connection = _current;
            _current = null;
        }

        if (connection is not null)
        {
            LogIdleClosed(_target.Name, (long)_idleTimeout.TotalSeconds);
            connection.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "SSH {Target}: pooled connection #{Count} open")]
    private partial void LogOpened(string target, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "SSH {Target}: pooled connection idle for {IdleSeconds} s; closed")]
    private partial void LogIdleClosed(string target, long idleSeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SSH {Target}: pooled connection lost; dropped from the pool")]
    private partial void LogDropped(string target);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SSH {Target}: pooled connection is closed; reconnecting")]
    private partial void LogReconnecting(string target);

    [LoggerMessage(Level = LogLevel.Error, Message = "SSH {Target}: host key mismatch; nothing of this target stays pooled and the connect is not retried")]
    private partial void LogEvictedOnMismatch(string target);

    [LoggerMessage(Level = LogLevel.Information, Message = "SSH {Target}: `{Command}` waited {WaitedMs} ms for one of the connection's {MaxChannels} channels")]
    private partial void LogWaitedForChannel(string target, long waitedMs, int maxChannels, string command);
}
