namespace Remediation.Server.DurableRuntime;

/// <summary>Where the self-hosted durable runtime keeps its task hub and how eagerly it polls (section "Durable"); defaults favour remediation latency over the DTFx defaults.</summary>
public sealed class DurableRuntimeOptions
{
    public const string Section = "Durable";

    /// <summary>Storage account for queues, tables and blobs of the task hub; the default is the local emulator (Azurite). Ignored when <see cref="StorageAccountUri"/> is set.</summary>
    public string StorageConnectionString { get; set; } = "UseDevelopmentStorage=true";

    /// <summary>Blob endpoint of a real account (https://NAME.blob.core.windows.net), reached with DefaultAzureCredential; the queue and table endpoints are derived from it.</summary>
    public Uri? StorageAccountUri { get; set; }

    /// <summary>Task hub name: 3–45 letters and digits starting with a letter, because DTFx names tables and queues after it.</summary>
    public string TaskHubName { get; set; } = "remediation";

    /// <summary>Control-queue partitions (1–16); the unit by which several server processes share orchestrations. Cannot change once the hub exists.</summary>
    public int PartitionCount { get; set; } = 4;

    /// <summary>
    /// Longest back-off between queue polls when idle. DTFx sleeps a tenth of the time a queue has been idle, up to this:
    /// with 1 s, the step after a 1.4 s restart waited ~140 ms for its result to be picked up. 100 ms caps that, at
    /// ~10 storage transactions per second per queue while idle (PartitionCount + 1 queues).
    /// </summary>
    public TimeSpan MaxQueuePollingInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How long an activity message stays invisible once dequeued. DTFx renews it every 5 s while the activity runs, so this bounds how long an activity interrupted by a crash waits before it is re-delivered, not how long an activity may take (DTFx default 5 min). At least 10 s: two renewal chances per period.</summary>
    public TimeSpan WorkItemQueueVisibilityTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The same for orchestration (control-queue) messages: how long a step interrupted between dequeue and checkpoint waits before it is replayed. Orchestrator episodes take milliseconds; at least 5 s.</summary>
    public TimeSpan ControlQueueVisibilityTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often each server reads and renews the partition leases: how soon it takes over partitions that were released or have expired, or shares them with a newcomer (DTFx default 10 s).</summary>
    public TimeSpan LeaseAcquireInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a partition lease lasts after its last renewal: how soon another server (or the same one restarted under a new worker id) takes over the partitions of a server that died (DTFx default 30 s). At least three acquire intervals.</summary>
    public TimeSpan LeaseInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Loopback port of the gRPC endpoint that serves <c>DurableTaskClient</c>; 0 picks a free port so several servers can share a machine.</summary>
    public int SidecarPort { get; set; }

    /// <summary>This process's identity in partition leases; defaults to machine name and process id, which differ between processes on one machine.</summary>
    public string? WorkerId { get; set; }

    /// <summary>The worker id actually used.</summary>
    public string EffectiveWorkerId =>
        string.IsNullOrWhiteSpace(WorkerId) ? $"{Environment.MachineName}-{Environment.ProcessId}" : WorkerId;
}
