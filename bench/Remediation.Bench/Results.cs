namespace Remediation.Bench;

/// <summary>One measured restart by hand (variant a): total and its parts, in milliseconds.</summary>
public sealed record RawSample
{
    /// <summary>From just before the SSH connection is opened to the first 200 of the health probe.</summary>
    public double TotalMs { get; init; }

    public double ConnectMs { get; init; }
    public double RestartCommandMs { get; init; }
    public double HealthWaitMs { get; init; }
    public int HealthProbes { get; init; }
    public string CommandOutput { get; init; } = "";
}

/// <summary>One measured restart through the product (variant b), with what the product reported about it.</summary>
public sealed record ProductSample
{
    /// <summary>From just before the POST to the first GET that shows the run Completed.</summary>
    public double TotalMs { get; init; }

    /// <summary>POST answered 202.</summary>
    public double AcceptedMs { get; init; }

    public int StatusPolls { get; init; }
    public string InstanceId { get; init; } = "";
    public string Outcome { get; init; } = "";

    /// <summary>The product's own measurement of how long odoo did not answer its health probe.</summary>
    public double? DowntimeSeconds { get; init; }

    public string? DowntimeMethod { get; init; }
    public bool ForcePathTaken { get; init; }
    public int? PidBefore { get; init; }
    public int? PidAfter { get; init; }
    public IReadOnlyList<string> Issues { get; init; } = [];

    /// <summary>The runtime's createdAt → lastUpdatedAt of the instance.</summary>
    public double? RuntimeCreatedToLastUpdatedMs { get; init; }

    /// <summary>The runtime's createdAt → start of the first step: how long the orchestration waited to be dispatched.</summary>
    public double? FirstStepDelayMs { get; init; }

    public IReadOnlyList<ProductStep> Steps { get; init; } = [];

    /// <summary>The server's SSH commands during this run, from its log (null without --server-log).</summary>
    public IReadOnlyList<ServerCommand>? ServerCommands { get; init; }

    /// <summary>The server's SSH connects during this run: one per activity unpooled, none on a warm pool.</summary>
    public IReadOnlyList<ServerConnect>? ServerConnects { get; init; }
}

/// <summary>A step of the run as the product's progress shows it.</summary>
public sealed record ProductStep(string Name, string Status, double? DurationMs);

/// <summary>One verified run of one variant: which attempt counted, and the supervisor evidence that odoo was restarted exactly once.</summary>
public sealed record RunEntry
{
    public int Run { get; init; }
    public string Variant { get; init; } = "";
    public int Attempt { get; init; }
    public DateTime StartedUtc { get; init; }
    public int SupervisorPidBefore { get; init; }
    public int? SupervisorPidAfter { get; init; }
    public IReadOnlyList<int> SpawnedPids { get; init; } = [];
    public RawSample? Raw { get; init; }
    public ProductSample? Ours { get; init; }
}

/// <summary>An attempt that was discarded because something else acted on odoo during it, and then retried.</summary>
public sealed record RetryEntry(int Run, string Variant, DateTime StartedUtc, string Reason);

/// <summary>Median, minimum and maximum of a set of figures.</summary>
public sealed record Distribution(double Median, double Min, double Max)
{
    public static Distribution Of(IReadOnlyCollection<double> values, int decimals = 1)
    {
        if (values.Count == 0)
        {
            throw new ArgumentException("no values", nameof(values));
        }

        double[] sorted = values.Order().ToArray();
        int middle = sorted.Length / 2;
        double median = sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        return new Distribution(Math.Round(median, decimals), Math.Round(sorted[0], decimals), Math.Round(sorted[^1], decimals));
    }
}

/// <summary>Figures of variant (a).</summary>
public sealed record RawSummary(Distribution TotalMs, Distribution ConnectMs, Distribution RestartCommandMs, Distribution HealthWaitMs, IReadOnlyList<double> SamplesMs);

/// <summary>Figures of variant (b), with the downtime the product reported.</summary>
public sealed record OursSummary(
    Distribution TotalMs,
    Distribution AcceptedMs,
    Distribution? FirstStepDelayMs,
    IReadOnlyList<double> SamplesMs,
    Distribution? ProductDowntimeSeconds,
    IReadOnlyList<double?> ProductDowntimeSecondsPerRun,
    IReadOnlyDictionary<string, Distribution> StepMedianMs,
    IReadOnlyList<string> Outcomes,
    IReadOnlyDictionary<string, Distribution>? ServerCommandMs = null,
    Distribution? ServerCommandsPerRun = null,
    Distribution? ServerConnectsPerRun = null,
    Distribution? ServerConnectMs = null);

/// <summary>The machine and software the figures were measured on.</summary>
public sealed record MachineInfo(int Cores, string? CpuModel, double? MemoryGiB, string Os, string Runtime, string? Sdk, string MachineName);

/// <summary>How the benchmark was set up.</summary>
public sealed record BenchSetup(
    string Server,
    string? TaskHub,
    string? Source,
    string Order,
    string RawCommand,
    double RawHealthPollMs,
    string RawHealthUrl,
    string ProductRequest,
    double ProductStatusPollMs,
    double PauseBetweenRunsMs,
    bool Warmup);

/// <summary>Everything one benchmark run wrote to bench/results.</summary>
public sealed record BenchReport
{
    public string Benchmark { get; init; } = "restart-odoo";
    public DateTime StartedUtc { get; init; }
    public DateTime FinishedUtc { get; init; }
    public int Runs { get; init; }
    public required RawSummary Raw { get; init; }
    public required OursSummary Ours { get; init; }

    /// <summary>median(ours) / median(raw).</summary>
    public double Ratio { get; init; }

    /// <summary>median(ours) − median(raw), in ms.</summary>
    public double OverheadMs { get; init; }

    public string Summary { get; init; } = "";
    public IReadOnlyList<RunEntry> RunsDetail { get; init; } = [];
    public IReadOnlyList<RetryEntry> Retries { get; init; } = [];
    public IReadOnlyList<RunEntry> Warmup { get; init; } = [];
    public required MachineInfo Machine { get; init; }
    public required BenchSetup Setup { get; init; }
}
