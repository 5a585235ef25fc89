using Remediation.Ssh;

namespace Remediation.Tests.Ssh;

/// <summary>A connection that answers every command with exit 0 and its own number on stdout.</summary>
internal sealed class FakeConnection : ISshConnection
{
    private readonly FakeConnectionFactory _factory;
    private int _running;
    private int _maxRunning;
    private volatile bool _lostUnnoticed;

    public FakeConnection(FakeConnectionFactory factory, int number)
    {
        _factory = factory;
        Number = number;
    }

    public int Number { get; }

    public bool IsConnected { get; private set; } = true;

    public bool Disposed { get; private set; }

    /// <summary>Commands running on it now, and the most ever at once.</summary>
    public int Running => Volatile.Read(ref _running);

    public int MaxRunning => Volatile.Read(ref _maxRunning);

    public int Commands { get; private set; }

    /// <summary>The connection drops: it says so, and a command on it fails as SSH.NET's would.</summary>
    public void Lose() => IsConnected = false;

    /// <summary>The connection drops unnoticed: it still looks open, and the next command on it finds out.</summary>
    public void LoseUnnoticed() => _lostUnnoticed = true;

    public async Task<CommandResult> RunAsync(RemoteCommand command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (_lostUnnoticed)
        {
            IsConnected = false;
        }

        if (!IsConnected || Disposed)
        {
            throw new SshUnreachableException($"connection {Number} was lost while running `{command}`");
        }

        int running = Interlocked.Increment(ref _running);
        int seen;
        while (running > (seen = Volatile.Read(ref _maxRunning)) && Interlocked.CompareExchange(ref _maxRunning, running, seen) != seen)
        {
        }

        try
        {
            lock (this)
            {
                Commands++;
            }

            if (_factory.Hold is { } hold)
            {
                await hold.Task.WaitAsync(cancellationToken);
            }

            if (!IsConnected)
            {
                throw new SshUnreachableException($"connection {Number} was lost while running `{command}`");
            }

            return new CommandResult { Command = command.ToString(), ExitCode = 0, Stdout = Number.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }

    public void Dispose()
    {
        Disposed = true;
        IsConnected = false;
    }
}
