using Remediation.Inventory;

namespace Remediation.Ssh;

/// <summary>Opens an authenticated, host-key-verified SSH session to a target. One session per activity.</summary>
public interface ISshConnector
{
    /// <exception cref="HostKeyMismatchException">The target presented a key other than the pinned one.</exception>
    /// <exception cref="SshUnreachableException">The target could not be reached or refused authentication.</exception>
    Task<ISshSession> ConnectAsync(TargetDefinition target, CancellationToken cancellationToken);
}
