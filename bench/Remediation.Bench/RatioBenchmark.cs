using System.Diagnostics;
using System.Globalization;

namespace Remediation.Bench;

/// <summary>
/// A raw-vs-ours benchmark: one unmeasured run of each variant, then interleaved measured runs (raw, ours, raw, ours …)
/// from a steady state; the summary line is <c>NAME: raw X ms, ours Y ms, ratio R, overhead O ms</c> (medians).
/// </summary>
public sealed class RatioBenchmark : IBenchmark
{
    public required string Name { get; init; }

    /// <summary>What the summary line starts with (the name, unless the benchmark runs on several targets).</summary>
    public string? Label { get; init; }

    /// <summary>What the raw variant does, for the results file.</summary>
    public required string RawDescription { get; init; }

    /// <summary>The body of <c>POST /api/remediations</c> for the ours variant.</summary>
    public required string ProductRequest { get; init; }

    /// <summary>How often each program must be spawned by one run of either variant (absent: 0, left running).</summary>
    public required IReadOnlyDictionary<string, int> ExpectedSpawns { get; init; }

    /// <summary>The raw variant: opens its own SSH session and returns its sample (clock from before the connect).</summary>
    public required Func<BenchContext, CancellationToken, Task<RawSample>> RunRawAsync { get; init; }

    public async Task<BenchOutcome> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        TextWriter log = context.Log;
        BenchRunner runner = context.Runner;
        DateTime startedUtc = DateTime.UtcNow;
        int retriesBefore = runner.Retries.Count;

        Task<RunEntry> Raw(int run) => runner.MeasureAsync(run, BenchRunner.RawVariant, ExpectedSpawns,
            async ct => new Measurement(Raw: await RunRawAsync(context, ct)), cancellationToken);
        Task<RunEntry> Ours(int run) => runner.MeasureAsync(run, BenchRunner.OursVariant, ExpectedSpawns,
            async ct => new Measurement(Ours: await context.Product.RunAsync(ProductRequest, ct)), cancellationToken);

        var warmup = new List<RunEntry>();
        if (context.Options.Warmup)
        {
            log.WriteLine($"{Name}: warm-up (not measured): one raw run, one remediation");
            warmup.Add(await Raw(0));
            warmup.Add(await Ours(0));
            log.WriteLine($"  raw {BenchRunner.Ms(warmup[0].Raw!.TotalMs)} ms, ours {BenchRunner.Ms(warmup[1].Ours!.TotalMs)} ms");
        }

        var runs = new List<RunEntry>();
        for (int i = 1; i <= context.Options.Runs; i++)
        {
            RunEntry a = await Raw(i);
            runs.Add(a);
            RunEntry b = await Ours(i);
            runs.Add(b);
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{Name} run {i}/{context.Options.Runs}: raw {BenchRunner.Ms(a.Raw!.TotalMs)} ms (connect {BenchRunner.Ms(a.Raw.ConnectMs)}), ours {BenchRunner.Ms(b.Ours!.TotalMs)} ms ({b.Ours.Outcome}, downtime {b.Ours.DowntimeSeconds?.ToString("0.000", CultureInfo.InvariantCulture) ?? "?"} s)"));
        }

        BenchReport report = Report(context, startedUtc, runs, warmup, runner.Retries.Skip(retriesBefore).ToList());
        return new BenchOutcome(report, startedUtc, Lines(report), report.Summary);
    }

    private BenchReport Report(BenchContext context, DateTime startedUtc, List<RunEntry> runs, List<RunEntry> warmup, IReadOnlyList<RetryEntry> retries)
    {
        List<RawSample> raw = runs.Select(r => r.Raw).OfType<RawSample>().ToList();
        List<ProductSample> ours = runs.Select(r => r.Ours).OfType<ProductSample>().ToList();

        var rawSummary = new RawSummary(
            Distribution.Of(raw.Select(s => s.TotalMs).ToList()),
            Distribution.Of(raw.Select(s => s.ConnectMs).ToList()),
            PhaseMedians(raw.Select(s => (IReadOnlyList<RawPhase>)[.. s.Phases.Skip(1), .. s.ScriptCommands ?? []]).ToList()),
            raw.Select(s => Math.Round(s.TotalMs, 1)).ToList());
        OursSummary oursSummary = Summarise(ours);

        // The printed line uses whole milliseconds; ratio and overhead are derived from those, so the line adds up.
        double rawMs = Math.Round(rawSummary.TotalMs.Median, MidpointRounding.AwayFromZero);
        double oursMs = Math.Round(oursSummary.TotalMs.Median, MidpointRounding.AwayFromZero);
        double ratio = oursSummary.TotalMs.Median / rawSummary.TotalMs.Median;
        double overhead = oursMs - rawMs;
        string summary = string.Create(CultureInfo.InvariantCulture,
            $"{Label ?? Name}: raw {rawMs:0} ms, ours {oursMs:0} ms, ratio {ratio:0.00}, overhead {overhead:0} ms");

        return new BenchReport
        {
            Benchmark = Name,
            StartedUtc = startedUtc,
            FinishedUtc = DateTime.UtcNow,
            Runs = context.Options.Runs,
            Raw = rawSummary,
            Ours = oursSummary,
            Ratio = Math.Round(ratio, 3),
            OverheadMs = overhead,
            Summary = summary,
            RunsDetail = runs,
            Retries = retries,
            Warmup = warmup,
            Machine = ResultsFile.Machine(context.Options),
            Setup = Setup(context, "interleaved raw, ours, raw, ours … (raw first in each pair)", RawDescription, ProductRequest),
        };
    }

    private static List<string> Lines(BenchReport report)
    {
        CultureInfo inv = CultureInfo.InvariantCulture;
        var lines = new List<string>
        {
            string.Create(inv, $"{report.Benchmark} benchmark, {report.StartedUtc:yyyy-MM-dd HH:mm} UTC, {report.Runs} runs each (interleaved), {report.Machine.Cores} cores, {report.Machine.Runtime}"),
            "run  raw ms  (connect)   ours ms  (accepted)  product downtime s  outcome",
        };
        foreach (IGrouping<int, RunEntry> pair in report.RunsDetail.GroupBy(r => r.Run))
        {
            RawSample a = pair.Select(r => r.Raw).OfType<RawSample>().Single();
            ProductSample b = pair.Select(r => r.Ours).OfType<ProductSample>().Single();
            lines.Add(string.Create(inv,
                $"{pair.Key,3}  {a.TotalMs,6:0}  ({a.ConnectMs,7:0})   {b.TotalMs,7:0}  ({b.AcceptedMs,8:0})  {(b.DowntimeSeconds is { } d ? d.ToString("0.000", inv) : "?"),18}  {b.Outcome}"));
        }

        lines.Add(string.Create(inv, $"raw : median {report.Raw.TotalMs.Median:0} ms (min {report.Raw.TotalMs.Min:0}, max {report.Raw.TotalMs.Max:0}); connect median {report.Raw.ConnectMs.Median:0} ms"));
        lines.Add("raw, median per phase: " + string.Join(", ", report.Raw.PhaseMedianMs.Select(s => string.Create(inv, $"`{s.Key}` {s.Value.Median:0} ms"))));
        lines.Add(string.Create(inv, $"ours: median {report.Ours.TotalMs.Median:0} ms (min {report.Ours.TotalMs.Min:0}, max {report.Ours.TotalMs.Max:0}); product-reported downtime median {report.Ours.ProductDowntimeSeconds?.Median.ToString("0.000", inv) ?? "?"} s; dispatch (created → first step) median {report.Ours.FirstStepDelayMs?.Median.ToString("0", inv) ?? "?"} ms"));
        lines.Add("ours, median per step: " + string.Join(", ", report.Ours.StepMedianMs.Select(s => string.Create(inv, $"{s.Key} {s.Value.Median:0} ms"))));
        if (report.Ours.ServerCommandMs is { } commandMs)
        {
            lines.Add(string.Create(inv, $"ours, server side: {report.Ours.ServerCommandsPerRun?.Median:0} SSH commands and {report.Ours.ServerConnectsPerRun?.Median:0} connects per run (medians); median ms per command: ")
                + string.Join(", ", commandMs.Select(c => string.Create(inv, $"`{c.Key}` {c.Value.Median:0}"))));
        }

        lines.AddRange(report.Retries.Select(r => $"retried {r.Variant} run {r.Run} once: {r.Reason}"));
        return lines;
    }

    /// <summary>The ours figures: totals, dispatch delay, the product's downtime, and medians per step and per server-side SSH command.</summary>
    public static OursSummary Summarise(IReadOnlyList<ProductSample> ours)
    {
        List<double> downtimes = ours.Select(s => s.DowntimeSeconds).OfType<double>().ToList();
        return new OursSummary(
            Distribution.Of(ours.Select(s => s.TotalMs).ToList()),
            Distribution.Of(ours.Select(s => s.AcceptedMs).ToList()),
            ours.Select(s => s.FirstStepDelayMs).OfType<double>().ToList() is { Count: > 0 } delays ? Distribution.Of(delays) : null,
            ours.Select(s => Math.Round(s.TotalMs, 1)).ToList(),
            downtimes.Count > 0 ? Distribution.Of(downtimes, decimals: 3) : null,
            ours.Select(s => s.DowntimeSeconds).ToList(),
            StepMedians(ours),
            ours.Select(s => s.Outcome).ToList(),
            ServerCommandMedians(ours),
            ours.All(s => s.ServerCommands is not null) ? Distribution.Of(ours.Select(s => (double)s.ServerCommands!.Count).ToList()) : null,
            ours.All(s => s.ServerConnects is not null) ? Distribution.Of(ours.Select(s => (double)s.ServerConnects!.Count).ToList()) : null,
            ours.SelectMany(s => s.ServerConnects ?? []).Select(c => c.DurationMs).ToList() is { Count: > 0 } connectMs ? Distribution.Of(connectMs) : null);
    }

    public static Dictionary<string, Distribution> StepMedians(IReadOnlyList<ProductSample> ours) =>
        ours.SelectMany(s => s.Steps)
            .Where(s => s.DurationMs is not null)
            .GroupBy(s => s.Name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => Distribution.Of(g.Select(s => s.DurationMs!.Value).ToList()), StringComparer.Ordinal);

    public static BenchSetup Setup(BenchContext context, string order, string raw, string productRequest, string? load = null) => new(
        context.Options.Server.ToString(),
        context.Options.TaskHub,
        context.Options.Source,
        order,
        raw,
        productRequest,
        ProductRun.PollInterval.TotalMilliseconds,
        BenchRunner.PauseBetweenRuns.TotalMilliseconds,
        context.Options.Warmup,
        load);

    /// <summary>Median per phase name over the runs; a name that occurs again in one run (the script's <c>sleep 5</c>) is numbered: <c>sleep 5 #2</c>.</summary>
    private static Dictionary<string, Distribution> PhaseMedians(IReadOnlyList<IReadOnlyList<RawPhase>> runs) =>
        runs.SelectMany(phases => phases.Select((p, i) => (Name: Numbered(phases, i), p.DurationMs)))
            .GroupBy(p => p.Name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => Distribution.Of(g.Select(p => p.DurationMs).ToList()), StringComparer.Ordinal);

    private static string Numbered(IReadOnlyList<RawPhase> phases, int index)
    {
        int occurrence = phases.Take(index).Count(p => p.Name == phases[index].Name) + 1;
        return occurrence == 1 ? phases[index].Name : string.Create(CultureInfo.InvariantCulture, $"{phases[index].Name} #{occurrence}");
    }

    /// <summary>Milliseconds since <paramref name="startedTimestamp"/>, in 0.1 ms steps.</summary>
    public static double Since(long startedTimestamp) => Math.Round(Stopwatch.GetElapsedTime(startedTimestamp).TotalMilliseconds, 1);

    private static Dictionary<string, Distribution>? ServerCommandMedians(IReadOnlyList<ProductSample> ours) =>
        ours.Any(s => s.ServerCommands is { Count: > 0 })
            ? ours.SelectMany(s => s.ServerCommands ?? [])
                .GroupBy(c => c.Command, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => Distribution.Of(g.Select(c => c.DurationMs).ToList()), StringComparer.Ordinal)
            : null;
}
