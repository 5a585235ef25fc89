using Remediation.Bench;
using Remediation.Bench.Benchmarks;

// The benchmarks of bench/ against one running Remediation server on the target-host fixture: each writes
// bench/results/<name>-<UTC>.json and <name>-latest.json and prints its summary line last.
// Progress goes to stderr, the reports to stdout.
IBenchmark[] all = [RestartOdooBenchmark.Definition, new RestartOdooSystemdBenchmark(), RestartPostgresqlBenchmark.Definition, RestartStackBenchmark.Definition, new ReloadNginxBenchmark(), new CrashRecoveryBenchmark(), new AlertIntakeBenchmark()];

BenchOptions options;
List<IBenchmark> selected;
try
{
    options = BenchOptions.Parse(args);
    selected = options.Benchmarks.Count == 0
        ? [.. all]
        : options.Benchmarks.Select(name => all.FirstOrDefault(b => b.Name == name)
            ?? throw new ArgumentException($"unknown benchmark '{name}'; there are: {string.Join(", ", all.Select(b => b.Name))}")).ToList();
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

using var context = new BenchContext(options, Console.Error);
var summaries = new List<string>();
try
{
    await context.Runner.WaitForServerAsync(cancellation.Token);
    foreach (IBenchmark benchmark in selected)
    {
        BenchOutcome outcome = await benchmark.RunAsync(context, cancellation.Token);
        string file = await ResultsFile.WriteAsync(benchmark.Name, outcome, options.ResultsDirectory, cancellation.Token);
        foreach (string line in outcome.Lines)
        {
            Console.Out.WriteLine(line);
        }

        Console.Out.WriteLine($"results: {file}");
        Console.Out.WriteLine(outcome.Summary);
        Console.Out.WriteLine();
        summaries.Add(outcome.Summary);
    }
}
catch (BenchException e)
{
    Console.Error.WriteLine($"Remediation.Bench: INVALID — {e.Message}");
    summaries.ForEach(Console.Out.WriteLine);
    return 1;
}

// One line per benchmark at the very end, so the summary of a run of all of them is in one place.
summaries.ForEach(Console.Out.WriteLine);
return 0;
