using Microsoft.Extensions.Logging;
using Remediation.Inventory;

namespace Remediation.Ssh;

/// <summary>
/// A session that owns its connection (no pool): commands may run concurrently, each on its own channel, and a
/// dropped connection is reopened by the next command. Disposing it closes the connection.
/// </summary>
internal sealed partial class SshNetSession : ISshSession
{
    private readonly TargetDefinition _target;
    private readonly ISshConnectionFactory _connector;
    private readonly ILogger<SshNetSession> _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ISshConnection? _connection;
    private bool _disposed;

    public SshNetSession(TargetDefinition target, ISshConnection connection, ISshConnectionFactory connector, ILogger<SshNetSession> logger)
    {
        _target = target;
        _connection = connection;
        _connector = connector;
        _logger = logger;
    }

    /// <summary>How many times the connection was re-opened after it dropped (for tests and diagnostics).</summary>
    public int Reconnects { get; private set; }

    /// <summary>Whether the current connection is open; a closed one is reopened by the next command.</summary>
    public bool IsConnected => _connection?.IsConnected == true;

    /// <inheritdoc />
    public async Task<CommandResult> RunAsync(RemoteCommand command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        ObjectDisposedException.ThrowIf(_disposed, this);

        ISshConnection connection;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            connection = await EnsureConnectedAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }

        // Each command has a channel of its own, so commands may run side by side on the one connection
        // (supervisorctl spends ~150 ms starting Python; three status reads in a row cost half a second).
        return await connection.RunAsync(command, timeout, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            _disposed = true;
            _connection?.Dispose();
            _connection = null;
        }
        finally
        {
            _gate.Release();
            _gate.Dispose();
        }
    }

    private async Task<ISshConnection> EnsureConnectedAsync(CancellationToken cancellationToken)
    {
        if (_connection is { IsConnected: true } connection)
        {
            return connection;
        }

        // The connection dropped (sshd restarted, network blip, an earlier command lost it): open a new one,
        // verifying the host key again. Commands are never replayed; only the next one uses the new connection.
        LogReconnecting(_target.Name);
        _connection?.Dispose();
        _connection = null;
        _connection = await _connector.OpenAsync(_target, cancellationToken).ConfigureAwait(false);
        Reconnects++;
        return _connection;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "SSH {Target}: connection is closed; reconnecting")]
    private partial void LogReconnecting(string target);
}
