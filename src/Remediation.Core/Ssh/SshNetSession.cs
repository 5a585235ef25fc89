using Microsoft.Extensions.Logging;
using Remediation.Inventory;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace Remediation.Ssh;

/// <summary>One SSH.NET connection to a target; its commands may run concurrently, each on its own channel.</summary>
internal sealed partial class SshNetSession : ISshSession
{
    private readonly TargetDefinition _target;
    private readonly SshNetConnector _connector;
    private readonly SshOptions _options;
    private readonly ILogger<SshNetSession> _logger;
    private readonly TimeProvider _timeProvider;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private SshClient? _client;
    private bool _disposed;

    public SshNetSession(
        TargetDefinition target,
        SshClient client,
        SshNetConnector connector,
        SshOptions options,
        ILogger<SshNetSession> logger,
        TimeProvider timeProvider)
    {
        _target = target;
        _client = client;
        _connector = connector;
        _options = options;
        _logger = logger;
        _timeProvider = timeProvider;
    }

    /// <summary>How many times the connection was re-opened after it dropped (for tests and diagnostics).</summary>
    public int Reconnects { get; private set; }

    /// <summary>Whether the current connection is open; a closed one is reopened by the next command.</summary>
    public bool IsConnected => _client?.IsConnected == true;

    /// <inheritdoc />
    public async Task<CommandResult> RunAsync(RemoteCommand command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        ObjectDisposedException.ThrowIf(_disposed, this);

        SshClient client;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            client = await EnsureConnectedAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }

        // Each command has a channel of its own, so commands may run side by side on the one connection
        // (supervisorctl spends ~150 ms starting Python; three status reads in a row cost half a second).
        return await ExecuteAsync(client, command.ToString(), timeout, cancellationToken).ConfigureAwait(false);
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
            CloseClient();
        }
        finally
        {
            _gate.Release();
            _gate.Dispose();
        }
    }

    private async Task<CommandResult> ExecuteAsync(SshClient client, string text, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var stdout = new CappedOutput(_options.MaxOutputBytes);
        var stderr = new CappedOutput(_options.MaxOutputBytes);
        bool timedOut = false;
        long started = _timeProvider.GetTimestamp();
        LogCommandStarting(_target.Name, text);

        using SshCommand sshCommand = client.CreateCommand(text);
        sshCommand.CommandTimeout = timeout;
        Task execution;
        try
        {
            execution = sshCommand.ExecuteAsync(cancellationToken);
        }
        catch (SshConnectionException ex)
        {
            throw ConnectionLost(text, ex, mayHaveRun: false);
        }

        // The streams are the ones of this execution only once ExecuteAsync has started it.
        Task drainOut = stdout.DrainAsync(sshCommand.OutputStream);
        Task drainErr = stderr.DrainAsync(sshCommand.ExtendedOutputStream);
        try
        {
            await execution.ConfigureAwait(false);
        }
        catch (SshOperationTimeoutException)
        {
            // SSH.NET has sent SIGTERM to the command and closed its channel; the connection itself stays open.
            timedOut = true;
        }
        catch (SshConnectionException ex)
        {
            throw ConnectionLost(text, ex, mayHaveRun: true);
        }
        catch (ObjectDisposedException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw ConnectionLost(text, ex, mayHaveRun: true);
        }
        finally
        {
            // Completing or failing the command disposes its streams, which ends both drains.
            sshCommand.OutputStream.Dispose();
            sshCommand.ExtendedOutputStream.Dispose();
            await Task.WhenAll(drainOut, drainErr).ConfigureAwait(false);
        }

        long durationMs = (long)_timeProvider.GetElapsedTime(started).TotalMilliseconds;
        var result = new CommandResult
        {
            Command = text,
            ExitCode = timedOut ? null : sshCommand.ExitStatus,
            ExitSignal = sshCommand.ExitSignal,
            Stdout = stdout.ToText(),
            Stderr = stderr.ToText(),
            TimedOut = timedOut,
            OutputTruncated = stdout.Truncated || stderr.Truncated,
            DurationMs = durationMs,
        };

        if (timedOut)
        {
            LogCommandTimedOut(_target.Name, text, (long)timeout.TotalMilliseconds, result.ExitSignal);
        }
        else
        {
            LogCommandCompleted(_target.Name, text, result.ExitCode, result.ExitSignal, durationMs, stdout.TotalBytes, stderr.TotalBytes);
        }

        return result;
    }

    private async Task<SshClient> EnsureConnectedAsync(CancellationToken cancellationToken)
    {
        if (_client is { IsConnected: true } client)
        {
            return client;
        }

        // The connection dropped (sshd restarted, network blip, an earlier command lost it): open a new one,
        // verifying the host key again. Commands are never replayed; only the next one uses the new connection.
        LogReconnecting(_target.Name);
        CloseClient();
        _client = await _connector.OpenClientAsync(_target, cancellationToken).ConfigureAwait(false);
        Reconnects++;
        return _client;
    }

    private SshUnreachableException ConnectionLost(string text, Exception ex, bool mayHaveRun)
    {
        CloseClient();
        string outcome = mayHaveRun ? "it may or may not have run to completion" : "it did not start";
        string message = $"SSH connection to {_target.Describe()} was lost while running `{text}`; {outcome}. The next command reconnects.";
        LogConnectionLost(_target.Name, text, ex.Message);
        return new SshUnreachableException(message, ex);
    }

    private void CloseClient()
    {
        SshClient? client = _client;
        _client = null;
        if (client is null)
        {
            return;
        }

        try
        {
            if (client.IsConnected)
            {
                client.Disconnect();
            }
        }
        catch (Exception ex) when (ex is SshException or IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            // Already gone: nothing to tell the server.
            LogDisconnectFailed(_target.Name, ex.Message);
        }
        finally
        {
            client.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "SSH {Target}: running `{Command}`")]
    private partial void LogCommandStarting(string target, string command);

    [LoggerMessage(Level = LogLevel.Information, Message = "SSH {Target}: `{Command}` exited {ExitCode} (signal {ExitSignal}) in {DurationMs} ms, {StdoutBytes} B stdout, {StderrBytes} B stderr")]
    private partial void LogCommandCompleted(string target, string command, int? exitCode, string? exitSignal, long durationMs, long stdoutBytes, long stderrBytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SSH {Target}: `{Command}` timed out after {TimeoutMs} ms (signal {ExitSignal})")]
    private partial void LogCommandTimedOut(string target, string command, long timeoutMs, string? exitSignal);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SSH {Target}: connection lost while running `{Command}`: {Reason}")]
    private partial void LogConnectionLost(string target, string command, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SSH {Target}: connection is closed; reconnecting")]
    private partial void LogReconnecting(string target);

    [LoggerMessage(Level = LogLevel.Debug, Message = "SSH {Target}: disconnect failed: {Reason}")]
    private partial void LogDisconnectFailed(string target, string reason);
}
