using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Remediation.Inventory;

namespace Remediation.Ssh;

/// <summary>
/// The <see cref="ISshConnector"/> the hosts use: one pinned, shared connection per target in this process. A session
/// is a lease on it; disposing the session returns the lease and leaves the connection open for the next activity.
/// </summary>
/// <remarks>
/// Connect plus key authentication costs ~100 ms on loopback and several round trips over a WAN; a restart runs four
/// or more activities on one target, and several runs may use the same target at once.
/// </remarks>
public sealed class PooledSshConnector : ISshConnector, IAsyncDisposable, IDisposable
{
    private readonly ISshConnectionFactory _factory;
    private readonly SshOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<PooledSshConnector> _logger;
    private readonly Dictionary<string, PooledTargetConnection> _targets = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private bool _disposed;

    internal PooledSshConnector(ISshConnectionFactory factory, IOptions<SshOptions> options, TimeProvider timeProvider, ILogger<PooledSshConnector> logger)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _factory = factory;
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>Pools connections opened by <paramref name="connector"/>.</summary>
    public PooledSshConnector(SshNetConnector connector, IOptions<SshOptions> options, TimeProvider timeProvider, ILogger<PooledSshConnector> logger)
        : this((ISshConnectionFactory)connector, options, timeProvider, logger)
    {
    }

    /// <inheritdoc />
    public Task<ISshSession> ConnectAsync(TargetDefinition target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        return For(target).LeaseAsync(cancellationToken);
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Closes every pooled connection; leases still out fail on their next command.</summary>
    public void Dispose()
    {
        PooledTargetConnection[] targets;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            targets = [.. _targets.Values];
            _targets.Clear();
        }

        foreach (PooledTargetConnection target in targets)
        {
            target.Dispose();
        }
    }

    /// <summary>The pool entry of a target (for tests and diagnostics); null when it has none yet.</summary>
    internal PooledTargetConnection? Find(TargetDefinition target)
    {
        lock (_lock)
        {
            return _targets.GetValueOrDefault(KeyOf(target));
        }
    }

    private PooledTargetConnection For(TargetDefinition target)
    {
        string key = KeyOf(target);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_targets.TryGetValue(key, out PooledTargetConnection? entry))
            {
                entry = new PooledTargetConnection(target, _factory, _options, _timeProvider, _logger);
                _targets.Add(key, entry);
            }

            return entry;
        }
    }

    // Everything that decides where and as whom we connect: a target whose address, user, key or pin changed
    // (an inventory edit) never gets a connection opened under the old definition.
    private static string KeyOf(TargetDefinition target) => string.Join(
        '\n',
        target.Name,
        target.Address,
        target.SshPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        target.SshUser,
        target.HostKey,
        target.HostKeyAlgorithm,
        target.PrivateKeyFile);
}
