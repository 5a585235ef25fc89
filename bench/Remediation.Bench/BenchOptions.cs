using System.Globalization;

namespace Remediation.Bench;

/// <summary>Command-line options of the benchmark program.</summary>
public sealed record BenchOptions
{
    public const string Usage =
        "usage: Remediation.Bench --server http://127.0.0.1:PORT [--benchmark NAME]... [--runs N (default 7)] [--results DIR (default bench/results)]\n" +
        "       [--fixture-env FILE] [--no-warmup] [--task-hub NAME] [--sdk VERSION] [--source COMMIT] [--server-log FILE] [--idle-seconds N (default 600)]";

    /// <summary>Benchmarks to run, in order (restart-odoo, restart-postgresql, restart-stack, reload-nginx); empty: all of them.</summary>
    public IReadOnlyList<string> Benchmarks { get; init; } = [];

    /// <summary>Measured runs of each variant (raw and ours), interleaved.</summary>
    public int Runs { get; init; } = 7;

    /// <summary>Base URL of a running Remediation server whose inventory has the fixture's target <c>demo</c>.</summary>
    public required Uri Server { get; init; }

    public string ResultsDirectory { get; init; } = Path.Combine("bench", "results");

    public string FixtureEnvFile { get; init; } = "/var/lib/remediation-fixture/fixture.env";

    /// <summary>One unmeasured restart of each variant before the measured ones (JIT, connection pools, task hub queues).</summary>
    public bool Warmup { get; init; } = true;

    /// <summary>Recorded in the results only: the server's task hub, the SDK and the source revision that was built.</summary>
    public string? TaskHub { get; init; }

    public string? SdkVersion { get; init; }

    public string? Source { get; init; }

    /// <summary>alert-intake: how long the server is left without requests before each idle → first SSH measurement.</summary>
    public int IdleSeconds { get; init; } = 600;

    /// <summary>The server's console log, read for its SSH command and connect timings per run.</summary>
    public string? ServerLogFile { get; init; }

    /// <summary>Parses <paramref name="args"/>; throws <see cref="ArgumentException"/> with a readable message on bad input.</summary>
    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        Uri? server = null;
        int runs = 7;
        int idleSeconds = 600;
        string results = Path.Combine("bench", "results");
        string fixtureEnv = "/var/lib/remediation-fixture/fixture.env";
        bool warmup = true;
        string? taskHub = null, sdk = null, source = null, serverLog = null;
        var benchmarks = new List<string>();

        for (int i = 0; i < args.Count; i++)
        {
            string name = args[i];
            switch (name)
            {
                case "--no-warmup":
                    warmup = false;
                    continue;
                case "--runs":
                    string text = Value(args, ref i, name);
                    if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out runs) || runs < 1)
                    {
                        throw new ArgumentException($"--runs must be a positive integer, not '{text}'");
                    }

                    break;
                case "--idle-seconds":
                    string idle = Value(args, ref i, name);
                    if (!int.TryParse(idle, NumberStyles.None, CultureInfo.InvariantCulture, out idleSeconds) || idleSeconds > 3600)
                    {
                        throw new ArgumentException($"--idle-seconds must be an integer from 0 to 3600, not '{idle}'");
                    }

                    break;
                case "--server":
                    string url = Value(args, ref i, name);
                    if (!Uri.TryCreate(url, UriKind.Absolute, out server) || server.Scheme is not ("http" or "https"))
                    {
                        throw new ArgumentException($"--server must be an absolute http(s) URL, not '{url}'");
                    }

                    break;
                case "--benchmark":
                    benchmarks.Add(Value(args, ref i, name));
                    break;
                case "--results":
                    results = Value(args, ref i, name);
                    break;
                case "--fixture-env":
                    fixtureEnv = Value(args, ref i, name);
                    break;
                case "--task-hub":
                    taskHub = Value(args, ref i, name);
                    break;
                case "--sdk":
                    sdk = Value(args, ref i, name);
                    break;
                case "--source":
                    source = Value(args, ref i, name);
                    break;
                case "--server-log":
                    serverLog = Value(args, ref i, name);
                    break;
                default:
                    throw new ArgumentException($"unknown option '{name}'");
            }
        }

        return new BenchOptions
        {
            Server = server ?? throw new ArgumentException("--server is required"),
            Benchmarks = benchmarks,
            Runs = runs,
            IdleSeconds = idleSeconds,
            ResultsDirectory = results,
            FixtureEnvFile = fixtureEnv,
            Warmup = warmup,
            TaskHub = taskHub,
            SdkVersion = sdk,
            Source = source,
            ServerLogFile = serverLog,
        };
    }

    private static string Value(IReadOnlyList<string> args, ref int i, string name) =>
        ++i < args.Count ? args[i] : throw new ArgumentException($"{name} needs a value");
}
