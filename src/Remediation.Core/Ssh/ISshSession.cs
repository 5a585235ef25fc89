namespace Remediation.Ssh;

/// <summary>An open SSH connection to one target; commands run one after another on it.</summary>
public interface ISshSession : IAsyncDisposable
{
    /// <summary>Runs one command; a timeout or a non-zero exit is a result, not an exception.</summary>
    Task<CommandResult> RunAsync(RemoteCommand command, TimeSpan timeout, CancellationToken cancellationToken);
}
