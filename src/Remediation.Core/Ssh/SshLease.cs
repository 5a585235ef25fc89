namespace Remediation.Ssh;

/// <summary>An activity's use of a pooled connection: runs commands on it; disposing returns it without closing it.</summary>
internal sealed class SshLease : ISshSession
{
    private PooledTargetConnection? _owner;

    public SshLease(PooledTargetConnection owner)
    {
        _owner = owner;
    }

    /// <inheritdoc />
    public Task<CommandResult> RunAsync(RemoteCommand command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        PooledTargetConnection owner = Volatile.Read(ref _owner) ?? throw new ObjectDisposedException(nameof(SshLease));
        return owner.RunAsync(command, timeout, cancellationToken);
    }

    public ValueTask DisposeAsync()
    {
        Interlocked.Exchange(ref _owner, null)?.Return();
        return ValueTask.CompletedTask;
    }
}
