using System.Collections.Concurrent;
using Remediation.Inventory;
using Remediation.Ssh;

namespace Remediation.Tests.Ssh;

/// <summary>
/// Opens <see cref="FakeConnection"/>s and counts them; a test can make the next opens fail, and hold commands
/// running until it lets them finish (to fill a connection's channels).
/// </summary>
internal sealed class FakeConnectionFactory : ISshConnectionFactory
{
    private readonly ConcurrentQueue<Exception> _failures = new();

    public List<FakeConnection> Opened { get; } = [];

    /// <summary>When set, every command waits for it before answering.</summary>
    public TaskCompletionSource? Hold { get; set; }

    /// <summary>Delay of each open, to let concurrent leases pile up on one connect.</summary>
    public TimeSpan OpenDelay { get; set; }

    public void FailNextOpen(Exception exception) => _failures.Enqueue(exception);

    public async Task<ISshConnection> OpenAsync(TargetDefinition target, CancellationToken cancellationToken)
    {
        if (OpenDelay > TimeSpan.Zero)
        {
            await Task.Delay(OpenDelay, cancellationToken);
        }

        if (_failures.TryDequeue(out Exception? failure))
        {
            throw failure;
        }

        lock (Opened)
        {
            var connection = new FakeConnection(this, Opened.Count + 1);
            Opened.Add(connection);
            return connection;
        }
    }
}
