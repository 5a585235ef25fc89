namespace Remediation.Server.DurableRuntime;

/// <summary>One answer of <see cref="TaskHubStorageProbe"/>: reachable (and how fast) or not (and why).</summary>
public sealed record StorageReachability(bool IsReachable, string Description)
{
    public static StorageReachability Reachable(TimeSpan latency) =>
        new(true, $"task hub storage answered in {latency.TotalMilliseconds:0} ms");

    public static StorageReachability Unreachable(string reason) => new(false, reason);
}
