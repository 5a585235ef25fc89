namespace Remediation.Ssh;

/// <summary>One open, authenticated SSH connection; its commands may run side by side, each on a channel of its own.</summary>
internal interface ISshConnection : IDisposable
{
    /// <summary>False once the connection dropped or was closed; it is never reopened, a new one is.</summary>
    bool IsConnected { get; }

    /// <summary>Runs one command; a timeout or a non-zero exit is a result, not an exception.</summary>
    /// <exception cref="SshUnreachableException">The connection was lost; it is closed afterwards.</exception>
    Task<CommandResult> RunAsync(RemoteCommand command, TimeSpan timeout, CancellationToken cancellationToken);
}
