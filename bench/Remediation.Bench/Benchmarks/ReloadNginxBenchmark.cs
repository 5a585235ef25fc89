using System.Globalization;

namespace Remediation.Bench.Benchmarks;

/// <summary>
/// reload-nginx: failed requests through nginx under a steady client load, around a product run of reload-nginx with
/// mode reload and one with mode restart (interleaved). No ratio; the line is
/// <c>reload-nginx: reload F failed of N requests, restart F failed of N requests</c>, summed over the runs.
/// </summary>
public sealed class ReloadNginxBenchmark : IBenchmark
{
    public const string ReloadMode = "reload";
    public const string RestartMode = "restart";

    /// <summary>Load before the POST and after Completed, so the window holds the whole run with a margin either side.</summary>
    public static readonly TimeSpan Margin = TimeSpan.FromMilliseconds(500);

    public string Name => "reload-nginx";

    public static string Request(string mode) =>
        $$"""{"target":"demo","procedure":"reload-nginx","mode":"{{mode}}","reason":"benchmark","requestedBy":"bench","force":true}""";

    public async Task<BenchOutcome> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        DateTime startedUtc = DateTime.UtcNow;
        int retriesBefore = context.Runner.Retries.Count;

        // A reload keeps nginx's master (no spawn, same PID); a restart spawns it once. Both leave odoo and PostgreSQL alone.
        Task<RunEntry> Measure(int run, string mode) => context.Runner.MeasureAsync(
            run,
            mode,
            mode == RestartMode ? new Dictionary<string, int>(StringComparer.Ordinal) { ["nginx"] = 1 } : new Dictionary<string, int>(StringComparer.Ordinal),
            ct => UnderLoadAsync(context, mode, ct),
            cancellationToken);

        var warmup = new List<RunEntry>();
        if (context.Options.Warmup)
        {
            context.Log.WriteLine($"{Name}: warm-up (not measured): one reload, one restart, under load");
            warmup.Add(await Measure(0, ReloadMode));
            warmup.Add(await Measure(0, RestartMode));
        }

        var runs = new List<RunEntry>();
        for (int i = 1; i <= context.Options.Runs; i++)
        {
            RunEntry reload = await Measure(i, ReloadMode);
            RunEntry restart = await Measure(i, RestartMode);
            runs.Add(reload);
            runs.Add(restart);
            context.Log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{Name} run {i}/{context.Options.Runs}: reload {reload.Load!.Failed} failed of {reload.Load.Requests} ({BenchRunner.Ms(reload.Ours!.TotalMs)} ms), restart {restart.Load!.Failed} failed of {restart.Load.Requests} ({BenchRunner.Ms(restart.Ours!.TotalMs)} ms)"));
        }

        var modes = new[] { ReloadMode, RestartMode }.ToDictionary(m => m, m => Totals(runs.Where(r => r.Variant == m).ToList()), StringComparer.Ordinal);
        string summary = string.Create(CultureInfo.InvariantCulture,
            $"{Name}: reload {modes[ReloadMode].Failed} failed of {modes[ReloadMode].Requests} requests, restart {modes[RestartMode].Failed} failed of {modes[RestartMode].Requests} requests");
        var report = new LoadReport
        {
            Benchmark = Name,
            StartedUtc = startedUtc,
            FinishedUtc = DateTime.UtcNow,
            Runs = context.Options.Runs,
            Modes = modes,
            Summary = summary,
            RunsDetail = runs,
            Retries = context.Runner.Retries.Skip(retriesBefore).ToList(),
            Warmup = warmup,
            Machine = ResultsFile.Machine(context.Options),
            Setup = RatioBenchmark.Setup(
                context,
                "interleaved reload, restart, reload, restart …",
                "none (no raw variant: failed requests are counted, not compared)",
                Request(ReloadMode) + " / " + Request(RestartMode),
                string.Create(CultureInfo.InvariantCulture,
                    $"{LoadGenerator.Loops} concurrent loops of GET {context.Facts.NginxHealth} (new connection each, 1 s timeout, {LoadGenerator.Pause.TotalMilliseconds:0} ms pause), from {Margin.TotalMilliseconds:0} ms before the POST to {Margin.TotalMilliseconds:0} ms after Completed; a request fails on any answer but 200, a refused or reset connection, or the timeout")),
        };

        CultureInfo inv = CultureInfo.InvariantCulture;
        var lines = new List<string> { string.Create(inv, $"{Name} benchmark, {startedUtc:yyyy-MM-dd HH:mm} UTC, {report.Runs} runs of each mode (interleaved), {report.Machine.Cores} cores, {report.Machine.Runtime}") };
        foreach ((string mode, LoadTotals totals) in modes)
        {
            lines.Add(string.Create(inv,
                $"{mode,-7}: {totals.Failed} failed of {totals.Requests} requests (per run median {totals.FailedPerRun.Median:0}, max {totals.FailedPerRun.Max:0}; {string.Join(", ", totals.FailuresByKind.Select(k => $"{k.Key} {k.Value}"))}); ours median {totals.OursTotalMs.Median:0} ms; product downtime median {totals.ProductDowntimeSeconds?.Median.ToString("0.000", inv) ?? "?"} s"));
        }

        lines.AddRange(report.Retries.Select(r => $"retried {r.Variant} run {r.Run} once: {r.Reason}"));
        return new BenchOutcome(report, startedUtc, lines, summary);
    }

    private static async Task<Measurement> UnderLoadAsync(BenchContext context, string mode, CancellationToken cancellationToken)
    {
        await using LoadGenerator load = LoadGenerator.Start(context.NginxHealth, cancellationToken);
        await Task.Delay(Margin, cancellationToken);
        ProductSample ours = await context.Product.RunAsync(Request(mode), cancellationToken);
        await Task.Delay(Margin, cancellationToken);
        return new Measurement(Ours: ours, Load: await load.StopAsync());
    }

    private static LoadTotals Totals(IReadOnlyList<RunEntry> runs)
    {
        List<LoadSample> loads = runs.Select(r => r.Load!).ToList();
        List<ProductSample> ours = runs.Select(r => r.Ours!).ToList();
        List<double> downtimes = ours.Select(o => o.DowntimeSeconds).OfType<double>().ToList();
        return new LoadTotals(
            loads.Sum(l => l.Requests),
            loads.Sum(l => l.Failed),
            loads.SelectMany(l => l.FailuresByKind).GroupBy(k => k.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(k => k.Value), StringComparer.Ordinal),
            Distribution.Of(loads.Select(l => (double)l.Failed).ToList()),
            Distribution.Of(ours.Select(o => o.TotalMs).ToList()),
            RatioBenchmark.StepMedians(ours),
            downtimes.Count > 0 ? Distribution.Of(downtimes, decimals: 3) : null);
    }
}
