namespace Remediation.Bench;

/// <summary>One measured run done by hand over SSH (variant raw): total and each command's or wait's duration, in milliseconds.</summary>
public sealed record RawSample
{
    /// <summary>From just before the SSH connection is opened to the end of the last readiness wait.</summary>
    public double TotalMs { get; init; }

    public double ConnectMs { get; init; }

    /// <summary>In order: <c>connect</c>, then every command (its exit code and output) and every readiness wait.</summary>
    public IReadOnlyList<RawPhase> Phases { get; init; } = [];

    /// <summary>For a script run as one command: each of its commands, timed from the shell's own trace.</summary>
    public IReadOnlyList<RawPhase>? ScriptCommands { get; init; }
}

/// <summary>One command of a raw run (with its exit code and output), or a wait between commands (without).</summary>
public sealed record RawPhase(string Name, double DurationMs, int? ExitCode = null, string? Output = null);

/// <summary>One measured run through the product (variant ours), with what the product reported about it.</summary>
public sealed record ProductSample
{
    /// <summary>From just before the POST to the first GET that shows the run Completed.</summary>
    public double TotalMs { get; init; }

    /// <summary>POST answered 202.</summary>
    public double AcceptedMs { get; init; }

    public int StatusPolls { get; init; }
    public string InstanceId { get; init; } = "";
    public string Outcome { get; init; } = "";

    /// <summary>The product's own measurement of the run's outage (the union of the services' outages).</summary>
    public double? DowntimeSeconds { get; init; }

    public string? DowntimeMethod { get; init; }
    public bool ForcePathTaken { get; init; }

    /// <summary>Every service change the product recorded: action, PIDs before and after, downtime.</summary>
    public IReadOnlyList<ProductChange> Changes { get; init; } = [];

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

/// <summary>One service change as the product's result lists it.</summary>
public sealed record ProductChange(string Service, string Action, int? PidBefore, int? PidAfter, double? DowntimeSeconds);

/// <summary>Requests of a steady client load around one run: how many were sent and which failed.</summary>
public sealed record LoadSample(int Requests, int Failed, IReadOnlyDictionary<string, int> FailuresByKind, double DurationMs, IReadOnlyList<double> FailedAtMs);

/// <summary>One verified run of one variant: which attempt counted, and the supervisor evidence (PIDs, spawns) for every program.</summary>
public sealed record RunEntry
{
    public int Run { get; init; }
    public string Variant { get; init; } = "";
    public int Attempt { get; init; }
    public DateTime StartedUtc { get; init; }
    public IReadOnlyDictionary<string, int> SupervisorPidBefore { get; init; } = new Dictionary<string, int>();
    public IReadOnlyDictionary<string, int?> SupervisorPidAfter { get; init; } = new Dictionary<string, int?>();
    public IReadOnlyDictionary<string, IReadOnlyList<int>> SpawnedPids { get; init; } = new Dictionary<string, IReadOnlyList<int>>();
    public RawSample? Raw { get; init; }
    public ProductSample? Ours { get; init; }
    public LoadSample? Load { get; init; }
}

/// <summary>An attempt that was discarded because something else acted on the target during it, and then retried.</summary>
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

/// <summary>Figures of variant raw; phases by name (a name that occurs twice in a run is numbered).</summary>
public sealed record RawSummary(Distribution TotalMs, Distribution ConnectMs, IReadOnlyDictionary<string, Distribution> PhaseMedianMs, IReadOnlyList<double> SamplesMs);

/// <summary>Figures of variant ours, with the downtime the product reported.</summary>
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

/// <summary>How a benchmark was set up.</summary>
public sealed record BenchSetup(
    string Server,
    string? TaskHub,
    string? Source,
    string Order,
    string Raw,
    string ProductRequest,
    double ProductStatusPollMs,
    double PauseBetweenRunsMs,
    bool Warmup,
    string? Load = null);

/// <summary>Everything a raw-vs-ours benchmark wrote to bench/results.</summary>
public sealed record BenchReport
{
    public string Benchmark { get; init; } = "";
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

/// <summary>Everything the reload-nginx benchmark wrote to bench/results: failed requests under load, summed over the runs of each mode.</summary>
public sealed record LoadReport
{
    public string Benchmark { get; init; } = "";
    public DateTime StartedUtc { get; init; }
    public DateTime FinishedUtc { get; init; }
    public int Runs { get; init; }

    /// <summary>Per mode (reload, restart): requests and failures summed over the runs.</summary>
    public IReadOnlyDictionary<string, LoadTotals> Modes { get; init; } = new Dictionary<string, LoadTotals>();

    public string Summary { get; init; } = "";
    public IReadOnlyList<RunEntry> RunsDetail { get; init; } = [];
    public IReadOnlyList<RetryEntry> Retries { get; init; } = [];
    public IReadOnlyList<RunEntry> Warmup { get; init; } = [];
    public required MachineInfo Machine { get; init; }
    public required BenchSetup Setup { get; init; }
}

/// <summary>Sums over the runs of one mode, with the medians per run and the product's step timings.</summary>
public sealed record LoadTotals(int Requests, int Failed, IReadOnlyDictionary<string, int> FailuresByKind, Distribution FailedPerRun, Distribution OursTotalMs, IReadOnlyDictionary<string, Distribution> StepMedianMs, Distribution? ProductDowntimeSeconds);
