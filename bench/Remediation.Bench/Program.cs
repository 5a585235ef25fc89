using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Remediation.Bench;

// restart-odoo: restart odoo on the fixture by hand over SSH (raw) and through the Remediation server (ours),
// interleaved; writes bench/results/restart-odoo-<UTC>.json and -latest.json; the last stdout line is the summary.
// Progress goes to stderr, the report to stdout.
BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"Remediation.Bench: {e.Message}");
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

try
{
    BenchReport report = await BenchProgram.RunAsync(options, Console.Error, cancellation.Token);
    string file = await BenchProgram.WriteAsync(report, options.ResultsDirectory, cancellation.Token);
    BenchProgram.Print(report, file, Console.Out);
    return 0;
}
catch (BenchException e)
{
    Console.Error.WriteLine($"Remediation.Bench: INVALID — {e.Message}");
    return 1;
}

/// <summary>The benchmark's steps: warm-up, interleaved measured runs, figures, results file and report.</summary>
internal static class BenchProgram
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static async Task<BenchReport> RunAsync(BenchOptions options, TextWriter log, CancellationToken cancellationToken)
    {
        FixtureFacts facts = FixtureFacts.Load(options.FixtureEnvFile);
        var observer = new TargetObserver(facts);
        using var health = new HealthProbe(facts.OdooHealth);
        using var ours = new ProductRestart(options.Server, options.ServerLogFile is { } serverLog ? new ServerLog(serverLog) : null);
        var raw = new RawRestart(facts, health);
        var runner = new BenchRunner(observer, health, raw, ours, log);

        DateTime startedUtc = DateTime.UtcNow;
        await runner.WaitForServerAsync(cancellationToken);

        var warmup = new List<RunEntry>();
        if (options.Warmup)
        {
            log.WriteLine("warm-up (not measured): one raw restart, one remediation");
            warmup.Add(await runner.MeasureAsync(0, BenchRunner.RawVariant, cancellationToken));
            warmup.Add(await runner.MeasureAsync(0, BenchRunner.OursVariant, cancellationToken));
            log.WriteLine($"  raw {BenchRunner.Ms(warmup[0].Raw!.TotalMs)} ms, ours {BenchRunner.Ms(warmup[1].Ours!.TotalMs)} ms");
        }

        var runs = new List<RunEntry>();
        for (int i = 1; i <= options.Runs; i++)
        {
            RunEntry a = await runner.MeasureAsync(i, BenchRunner.RawVariant, cancellationToken);
            runs.Add(a);
            RunEntry b = await runner.MeasureAsync(i, BenchRunner.OursVariant, cancellationToken);
            runs.Add(b);
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"run {i}/{options.Runs}: raw {BenchRunner.Ms(a.Raw!.TotalMs)} ms (connect {BenchRunner.Ms(a.Raw.ConnectMs)}), ours {BenchRunner.Ms(b.Ours!.TotalMs)} ms ({b.Ours.Outcome}, downtime {b.Ours.DowntimeSeconds?.ToString("0.000", CultureInfo.InvariantCulture) ?? "?"} s)"));
        }

        return Report(options, facts, startedUtc, runs, warmup, runner.Retries);
    }

    private static BenchReport Report(BenchOptions options, FixtureFacts facts, DateTime startedUtc, List<RunEntry> runs, List<RunEntry> warmup, IReadOnlyList<RetryEntry> retries)
    {
        List<RawSample> raw = runs.Select(r => r.Raw).OfType<RawSample>().ToList();
        List<ProductSample> ours = runs.Select(r => r.Ours).OfType<ProductSample>().ToList();

        var rawSummary = new RawSummary(
            Distribution.Of(raw.Select(s => s.TotalMs).ToList()),
            Distribution.Of(raw.Select(s => s.ConnectMs).ToList()),
            Distribution.Of(raw.Select(s => s.RestartCommandMs).ToList()),
            Distribution.Of(raw.Select(s => s.HealthWaitMs).ToList()),
            raw.Select(s => Math.Round(s.TotalMs, 1)).ToList());

        List<double> downtimes = ours.Select(s => s.DowntimeSeconds).OfType<double>().ToList();
        var stepMedians = ours.SelectMany(s => s.Steps)
            .Where(s => s.DurationMs is not null)
            .GroupBy(s => s.Name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => Distribution.Of(g.Select(s => s.DurationMs!.Value).ToList()), StringComparer.Ordinal);
        var oursSummary = new OursSummary(
            Distribution.Of(ours.Select(s => s.TotalMs).ToList()),
            Distribution.Of(ours.Select(s => s.AcceptedMs).ToList()),
            ours.Select(s => s.FirstStepDelayMs).OfType<double>().ToList() is { Count: > 0 } delays ? Distribution.Of(delays) : null,
            ours.Select(s => Math.Round(s.TotalMs, 1)).ToList(),
            downtimes.Count > 0 ? Distribution.Of(downtimes, decimals: 3) : null,
            ours.Select(s => s.DowntimeSeconds).ToList(),
            stepMedians,
            ours.Select(s => s.Outcome).ToList(),
            ServerCommandMedians(ours),
            ours.All(s => s.ServerCommands is not null) ? Distribution.Of(ours.Select(s => (double)s.ServerCommands!.Count).ToList()) : null,
            ours.All(s => s.ServerConnects is not null) ? Distribution.Of(ours.Select(s => (double)s.ServerConnects!.Count).ToList()) : null,
            ours.SelectMany(s => s.ServerConnects ?? []).Select(c => c.DurationMs).ToList() is { Count: > 0 } connectMs ? Distribution.Of(connectMs) : null);

        // The printed line uses whole milliseconds; ratio and overhead are derived from those, so the line adds up.
        double rawMs = Math.Round(rawSummary.TotalMs.Median, MidpointRounding.AwayFromZero);
        double oursMs = Math.Round(oursSummary.TotalMs.Median, MidpointRounding.AwayFromZero);
        double ratio = oursSummary.TotalMs.Median / rawSummary.TotalMs.Median;
        double overhead = oursMs - rawMs;
        string summary = string.Create(CultureInfo.InvariantCulture,
            $"restart-odoo: raw {rawMs:0} ms, ours {oursMs:0} ms, ratio {ratio:0.00}, overhead {overhead:0} ms");

        return new BenchReport
        {
            StartedUtc = startedUtc,
            FinishedUtc = DateTime.UtcNow,
            Runs = options.Runs,
            Raw = rawSummary,
            Ours = oursSummary,
            Ratio = Math.Round(ratio, 3),
            OverheadMs = overhead,
            Summary = summary,
            RunsDetail = runs,
            Retries = retries,
            Warmup = warmup,
            Machine = Machine(options),
            Setup = new BenchSetup(
                options.Server.ToString(),
                options.TaskHub,
                options.Source,
                "interleaved raw, ours, raw, ours … (raw first in each pair)",
                RawRestart.Command,
                5,
                facts.OdooHealth.ToString(),
                ProductRestart.RequestBody,
                20,
                BenchRunner.PauseBetweenRuns.TotalMilliseconds,
                options.Warmup),
        };
    }

    public static async Task<string> WriteAsync(BenchReport report, string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        string stamp = report.StartedUtc.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        string file = Path.Combine(directory, $"restart-odoo-{stamp}.json");
        string latest = Path.Combine(directory, "restart-odoo-latest.json");
        string json = JsonSerializer.Serialize(report, Json) + "\n";
        foreach (string path in new[] { file, latest })
        {
            string temporary = path + ".tmp";
            await File.WriteAllTextAsync(temporary, json, cancellationToken);
            File.Move(temporary, path, overwrite: true);
        }

        return file;
    }

    /// <summary>Median duration of each distinct SSH command the server ran, over every run.</summary>
    private static Dictionary<string, Distribution>? ServerCommandMedians(IReadOnlyList<ProductSample> ours) =>
        ours.Any(s => s.ServerCommands is { Count: > 0 })
            ? ours.SelectMany(s => s.ServerCommands ?? [])
                .GroupBy(c => c.Command, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => Distribution.Of(g.Select(c => c.DurationMs).ToList()), StringComparer.Ordinal)
            : null;

    public static void Print(BenchReport report, string file, TextWriter output)
    {
        CultureInfo inv = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(inv, $"restart-odoo benchmark, {report.StartedUtc:yyyy-MM-dd HH:mm} UTC, {report.Runs} runs each (interleaved), {report.Machine.Cores} cores, {report.Machine.Runtime}"));
        output.WriteLine("run  raw ms  (connect  restart cmd  health wait)   ours ms  (accepted)  product downtime s  outcome");
        foreach (IGrouping<int, RunEntry> pair in report.RunsDetail.GroupBy(r => r.Run))
        {
            RawSample a = pair.Select(r => r.Raw).OfType<RawSample>().Single();
            ProductSample b = pair.Select(r => r.Ours).OfType<ProductSample>().Single();
            output.WriteLine(string.Create(inv,
                $"{pair.Key,3}  {a.TotalMs,6:0}  ({a.ConnectMs,7:0}  {a.RestartCommandMs,11:0}  {a.HealthWaitMs,11:0})   {b.TotalMs,7:0}  ({b.AcceptedMs,8:0})  {(b.DowntimeSeconds is { } d ? d.ToString("0.000", inv) : "?"),18}  {b.Outcome}"));
        }

        output.WriteLine(string.Create(inv, $"raw : median {report.Raw.TotalMs.Median:0} ms (min {report.Raw.TotalMs.Min:0}, max {report.Raw.TotalMs.Max:0}); connect median {report.Raw.ConnectMs.Median:0} ms (min {report.Raw.ConnectMs.Min:0}, max {report.Raw.ConnectMs.Max:0})"));
        output.WriteLine(string.Create(inv, $"ours: median {report.Ours.TotalMs.Median:0} ms (min {report.Ours.TotalMs.Min:0}, max {report.Ours.TotalMs.Max:0}); product-reported downtime median {report.Ours.ProductDowntimeSeconds?.Median.ToString("0.000", inv) ?? "?"} s; dispatch (created → first step) median {report.Ours.FirstStepDelayMs?.Median.ToString("0", inv) ?? "?"} ms"));
        output.WriteLine("ours, median per step: " + string.Join(", ", report.Ours.StepMedianMs.Select(s => string.Create(inv, $"{s.Key} {s.Value.Median:0} ms"))));
        if (report.Ours.ServerCommandMs is { } commandMs)
        {
            output.WriteLine(string.Create(inv, $"ours, server side: {report.Ours.ServerCommandsPerRun?.Median:0} SSH commands and {report.Ours.ServerConnectsPerRun?.Median:0} connects per run (medians); median ms per command: ")
                + string.Join(", ", commandMs.Select(c => string.Create(inv, $"`{c.Key}` {c.Value.Median:0}"))));
        }

        foreach (RetryEntry retry in report.Retries)
        {
            output.WriteLine($"retried {retry.Variant} run {retry.Run} once: {retry.Reason}");
        }

        output.WriteLine($"results: {file}");
        output.WriteLine(report.Summary);
    }

    private static MachineInfo Machine(BenchOptions options) => new(
        Environment.ProcessorCount,
        ProcField("/proc/cpuinfo", "model name"),
        ProcField("/proc/meminfo", "MemTotal") is { } kb && double.TryParse(kb.Split(' ')[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out double value)
            ? Math.Round(value / 1024 / 1024, 1)
            : null,
        RuntimeInformation.OSDescription,
        RuntimeInformation.FrameworkDescription,
        options.SdkVersion,
        Environment.MachineName);

    private static string? ProcField(string file, string name)
    {
        if (!File.Exists(file))
        {
            return null;
        }

        string? line = File.ReadLines(file).FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal));
        return line?.Split(':', 2) is [_, string text] ? text.Trim() : null;
    }
}
