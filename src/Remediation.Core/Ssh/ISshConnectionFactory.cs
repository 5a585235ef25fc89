using Remediation.Inventory;

namespace Remediation.Ssh;

/// <summary>Opens a connection to a target, verifying its pinned host key every time; what the pool draws on.</summary>
internal interface ISshConnectionFactory
{
    /// <exception cref="HostKeyMismatchException">The target presented a key other than the pinned one.</exception>
    /// <exception cref="SshUnreachableException">The target could not be reached or refused authentication.</exception>
    Task<ISshConnection> OpenAsync(TargetDefinition target, CancellationToken cancellationToken);
}
