using System.Diagnostics;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Remediation.Inventory;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace Remediation.Ssh;

/// <summary>
/// Opens SSH.NET connections with a pinned host key and private-key authentication. As an <see cref="ISshConnector"/>
/// every session gets a connection of its own; <see cref="PooledSshConnector"/> (what the hosts use) shares them.
/// </summary>
public sealed partial class SshNetConnector : ISshConnector, ISshConnectionFactory
{
    private readonly SshOptions _options;
    private readonly ILogger<SshNetConnector> _logger;
    private readonly ILoggerFactory _loggerFactory;
    private readonly TimeProvider _timeProvider;

    public SshNetConnector(IOptions<SshOptions> options, ILoggerFactory loggerFactory, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _options = options.Value;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<SshNetConnector>();
        _timeProvider = timeProvider;
    }

    /// <inheritdoc />
    public async Task<ISshSession> ConnectAsync(TargetDefinition target, CancellationToken cancellationToken)
    {
        ISshConnection connection = await OpenAsync(target, cancellationToken).ConfigureAwait(false);
        return new SshNetSession(target, connection, this, _loggerFactory.CreateLogger<SshNetSession>());
    }

    /// <summary>Opens one connection (host key verified, authenticated) that commands can share.</summary>
    internal async Task<ISshConnection> OpenAsync(TargetDefinition target, CancellationToken cancellationToken)
    {
        SshClient client = await OpenClientAsync(target, cancellationToken).ConfigureAwait(false);
        return new SshNetConnection(target, client, _options, _loggerFactory.CreateLogger<SshNetConnection>(), _timeProvider);
    }

    Task<ISshConnection> ISshConnectionFactory.OpenAsync(TargetDefinition target, CancellationToken cancellationToken) =>
        OpenAsync(target, cancellationToken);

    /// <summary>Connects, verifies the host key before any authentication, and authenticates; the caller owns the client.</summary>
    internal async Task<SshClient> OpenClientAsync(TargetDefinition target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        Validate(target);

        PrivateKeyFile key = LoadPrivateKey(target);
        var connectionInfo = new ConnectionInfo(
            target.Address,
            target.SshPort,
            target.SshUser,
            new PrivateKeyAuthenticationMethod(target.SshUser, key))
        {
            Timeout = _options.ConnectTimeout,
        };
        RestrictHostKeyAlgorithms(connectionInfo, target);

        var client = new SshClient(connectionInfo);
        if (_options.KeepAliveInterval > TimeSpan.Zero)
        {
            client.KeepAliveInterval = _options.KeepAliveInterval;
        }

        string? presented = null;
        string? presentedAlgorithm = null;
        client.HostKeyReceived += (_, e) =>
        {
            presented = HostKeyPin.Prefix + e.FingerPrintSHA256;
            presentedAlgorithm = e.HostKeyName;

            // Key exchange finishes before authentication starts, so refusing here means the server never
            // sees our key and no channel (no command) can ever be opened on this host.
            e.CanTrust = string.Equals(e.HostKeyName, target.HostKeyAlgorithm, StringComparison.Ordinal)
                && HostKeyPin.Matches(target.HostKey, presented);
        };

        long started = _timeProvider.GetTimestamp();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.ConnectTimeout);
            try
            {
                await client.ConnectAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new SshOperationTimeoutException("Connect timed out.", ex);
            }
        }
        catch (Exception ex) when (presented is not null && !HostKeyAccepted(target, presented, presentedAlgorithm))
        {
            client.Dispose();
            LogHostKeyRejected(target.Name, target.Address, target.SshPort, presentedAlgorithm ?? "?", presented, target.HostKey);
            throw new HostKeyMismatchException(DescribeMismatch(target, presented, presentedAlgorithm), ex);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            client.Dispose();
            string reason = DescribeFailure(target, ex);
            LogConnectFailed(target.Name, target.Address, target.SshPort, reason);
            throw new SshUnreachableException(reason, ex);
        }
        catch
        {
            client.Dispose();
            throw;
        }

        LogConnected(target.Name, target.Address, target.SshPort, target.SshUser, presented ?? "?", _timeProvider.GetElapsedTime(started).TotalMilliseconds);
        return client;
    }

    /// <summary>"Host key for demo (127.0.0.1:2222) is SHA256:abc…, not the pinned SHA256:xyz… — refusing to connect. …"</summary>
    internal static string DescribeMismatch(TargetDefinition target, string presented, string? presentedAlgorithm)
    {
        string algorithm = presentedAlgorithm is not null && !string.Equals(presentedAlgorithm, target.HostKeyAlgorithm, StringComparison.Ordinal)
            ? $" ({presentedAlgorithm}, while {target.HostKeyAlgorithm} is pinned)"
            : "";
        return $"Host key for {target.Describe()} is {HostKeyPin.Normalise(presented)}{algorithm}, not the pinned {HostKeyPin.Normalise(target.HostKey)} — refusing to connect. "
            + "If the host was rebuilt, verify the new key out of band and update the inventory.";
    }

    /// <summary>One sentence naming the target and the cause, with what to check when the cause is ours to fix.</summary>
    internal static string DescribeFailure(TargetDefinition target, Exception exception)
    {
        string where = target.Describe();
        return exception switch
        {
            SshAuthenticationException auth =>
                $"SSH to {where} refused authentication as {target.SshUser}: {LowerFirst(auth.Message.TrimEnd('.'))} — check the authorized key for user {target.SshUser} (public half of {target.PrivateKeyFile}) and that the account is not locked.",
            SocketException socket => $"Cannot reach {where}: {DescribeSocketError(socket)}.",
            SshOperationTimeoutException => $"Cannot reach {where}: no SSH session within the connect timeout — check the address, port and firewall.",
            SshConnectionException connection when connection.Message.StartsWith("No matching host key algorithm", StringComparison.Ordinal) =>
                $"SSH to {where} failed: the server does not offer the pinned host key algorithm {target.HostKeyAlgorithm} ({connection.Message}) — check hostKeyAlgorithm in the inventory against the key you verified.",
            SshConnectionException connection => $"SSH session with {where} could not be established: {connection.Message}",
            ProxyException proxy => $"Cannot reach {where} through the proxy: {proxy.Message}",
            _ => $"SSH to {where} failed: {exception.Message}",
        };
    }

    private static bool HostKeyAccepted(TargetDefinition target, string presented, string? presentedAlgorithm) =>
        string.Equals(presentedAlgorithm, target.HostKeyAlgorithm, StringComparison.Ordinal) && HostKeyPin.Matches(target.HostKey, presented);

    private static string DescribeSocketError(SocketException socket) => socket.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => "connection refused (is sshd running and listening on that port?)",
        SocketError.TimedOut => "connection timed out",
        SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "host name could not be resolved",
        SocketError.NetworkUnreachable => "network unreachable",
        SocketError.HostUnreachable => "host unreachable",
        SocketError.ConnectionReset => "connection reset by the server",
        _ => socket.Message,
    };

    private static string LowerFirst(string text) =>
        text.Length == 0 ? text : char.ToLowerInvariant(text[0]) + text[1..];

    private static void Validate(TargetDefinition target)
    {
        if (string.IsNullOrWhiteSpace(target.Address) || string.IsNullOrWhiteSpace(target.SshUser) || string.IsNullOrWhiteSpace(target.PrivateKeyFile))
        {
            throw new ArgumentException($"Target {target.Name} needs an address, an SSH user and a private key file in the inventory.", nameof(target));
        }

        if (!HostKeyPin.IsWellFormed(target.HostKey))
        {
            throw new ArgumentException(
                $"Target {target.Describe()} has no usable pinned host key ('{target.HostKey}'); expected SHA256:<43 base64 characters> as printed by `ssh-keygen -lf <host key>.pub`.",
                nameof(target));
        }
    }

    private static PrivateKeyFile LoadPrivateKey(TargetDefinition target)
    {
        try
        {
            return new PrivateKeyFile(target.PrivateKeyFile);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or SshException or ArgumentException or InvalidOperationException)
        {
            // The message names the file, never its content.
            throw new SshUnreachableException(
                $"Cannot use the private key file {target.PrivateKeyFile} for {target.Describe()}: {ex.Message}", ex);
        }
    }

    private static void RestrictHostKeyAlgorithms(ConnectionInfo connectionInfo, TargetDefinition target)
    {
        if (!connectionInfo.HostKeyAlgorithms.TryGetValue(target.HostKeyAlgorithm, out Func<byte[], Renci.SshNet.Security.KeyHostAlgorithm>? factory))
        {
            throw new ArgumentException(
                $"Target {target.Describe()} pins host key algorithm '{target.HostKeyAlgorithm}', which SSH.NET does not support; use one of: {string.Join(", ", connectionInfo.HostKeyAlgorithms.Keys)}.",
                nameof(target));
        }

        // Offering only the pinned type makes the server present exactly the key we pinned, rather than
        // whichever of its keys it prefers (which would look like a mismatch after an sshd upgrade).
        connectionInfo.HostKeyAlgorithms.Clear();
        connectionInfo.HostKeyAlgorithms.Add(target.HostKeyAlgorithm, factory);
        Debug.Assert(connectionInfo.HostKeyAlgorithms.Count == 1, "Exactly one host key algorithm is offered.");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "SSH connected to {Target} ({Address}:{Port}) as {User}, host key {Fingerprint} verified, in {ElapsedMs:F0} ms")]
    private partial void LogConnected(string target, string address, int port, string user, string fingerprint, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "SSH host key for {Target} ({Address}:{Port}) is {Algorithm} {Presented}, not the pinned {Pinned}; refusing to connect")]
    private partial void LogHostKeyRejected(string target, string address, int port, string algorithm, string presented, string pinned);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SSH to {Target} ({Address}:{Port}) failed: {Reason}")]
    private partial void LogConnectFailed(string target, string address, int port, string reason);
}
