using Microsoft.Extensions.Logging;
using Remediation.Inventory;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace Remediation.Ssh;

/// <summary>One SSH.NET connection to a target; its commands may run concurrently, each on its own channel.</summary>
internal sealed partial class SshNetConnection : ISshConnection
{
    private readonly TargetDefinition _target;
    private readonly SshClient _client;
    private readonly SshOptions _options;
    private readonly ILogger<SshNetConnection> _logger;
    private readonly TimeProvider _timeProvider;
    private int _closed;

    public SshNetConnection(TargetDefinition target, SshClient client, SshOptions options, ILogger<SshNetConnection> logger, TimeProvider timeProvider)
    {
        _target = target;
        _client = client;
        _options = options;
        _logger = logger;
        _timeProvider = timeProvider;
    }

    /// <inheritdoc />
    public bool IsConnected => Volatile.Read(ref _closed) == 0 && _client.IsConnected;

    /// <inheritdoc />
    public async Task<CommandResult> RunAsync(RemoteCommand command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        if (Volatile.Read(ref _closed) != 0)
        {
            throw ConnectionLost(command.ToString(), new ObjectDisposedException(nameof(SshNetConnection)), mayHaveRun: false);
        }

        return await ExecuteAsync(command.ToString(), timeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Says goodbye to the server if it is still there; safe to call more than once and from any thread.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        try
        {
            if (_client.IsConnected)
            {
                _client.Disconnect();
            }
        }
        catch (Exception ex) when (ex is SshException or IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            // Already gone: nothing to tell the server.
            LogDisconnectFailed(_target.Name, ex.Message);
        }
        finally
        {
            _client.Dispose();
        }
    }

    private async Task<CommandResult> ExecuteAsync(string text, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var stdout = new CappedOutput(_options.MaxOutputBytes);
        var stderr = new CappedOutput(_options.MaxOutputBytes);
        bool timedOut = false;
        long started = _timeProvider.GetTimestamp();
        LogCommandStarting(_target.Name, text);

        SshCommand sshCommand;
        Task execution;
        try
        {
            sshCommand = _client.CreateCommand(text);
            sshCommand.CommandTimeout = timeout;
            execution = sshCommand.ExecuteAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is SshConnectionException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            // A socket the network cut a moment ago fails here as "Transport endpoint is not connected".
            throw ConnectionLost(text, ex, mayHaveRun: false);
        }

        using SshCommand disposed = sshCommand;

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
        catch (Exception ex) when (ex is SshConnectionException or System.Net.Sockets.SocketException)
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

    private SshUnreachableException ConnectionLost(string text, Exception ex, bool mayHaveRun)
    {
        Dispose();
        string outcome = mayHaveRun ? "it may or may not have run to completion" : "it did not start";
        string message = $"SSH connection to {_target.Describe()} was lost while running `{text}`; {outcome}. The next command reconnects.";
        LogConnectionLost(_target.Name, text, ex.Message);
        return new SshUnreachableException(message, ex);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "SSH {Target}: running `{Command}`")]
    private partial void LogCommandStarting(string target, string command);

    [LoggerMessage(Level = LogLevel.Information, Message = "SSH {Target}: `{Command}` exited {ExitCode} (signal {ExitSignal}) in {DurationMs} ms, {StdoutBytes} B stdout, {StderrBytes} B stderr")]
    private partial void LogCommandCompleted(string target, string command, int? exitCode, string? exitSignal, long durationMs, long stdoutBytes, long stderrBytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SSH {Target}: `{Command}` timed out after {TimeoutMs} ms (signal {ExitSignal})")]
    private partial void LogCommandTimedOut(string target, string command, long timeoutMs, string? exitSignal);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SSH {Target}: connection lost while running `{Command}`: {Reason}")]
    private partial void LogConnectionLost(string target, string command, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "SSH {Target}: disconnect failed: {Reason}")]
    private partial void LogDisconnectFailed(string target, string reason);
}
