using System.Diagnostics;
using System.Globalization;

namespace Remediation.Bench.Benchmarks;

/// <summary>
/// restart-odoo on the systemd target (demo-systemd): <c>sudo -n /usr/bin/systemctl restart odoo</c> over SSH and a
/// health poll of :8070 (raw) vs restart-service of odoo on demo-systemd (ours). Interleaved like the supervisor one;
/// each run starts with odoo, postgresql and nginx active (running) and both health URLs answering, and must leave
/// exactly one new start of odoo.service in the container's journal.
/// </summary>
public sealed class RestartOdooSystemdBenchmark : IBenchmark
{
    public const string Command = "sudo -n /usr/bin/systemctl restart odoo";
    private const string Request = """{"target":"demo-systemd","procedure":"restart-service","service":"odoo","reason":"benchmark","requestedBy":"bench","force":true}""";
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan HealthDeadline = TimeSpan.FromSeconds(60);

    public string Name => "restart-odoo-systemd";

    public async Task<BenchOutcome> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        SystemdFacts target = context.Facts.Systemd ?? throw new BenchException("fixture.env has no demo-systemd target (FIXTURE_SYSTEMD_*): bring the fixture up with the current tests/fixture/up.sh");
        using var odoo = new HealthProbe(new Uri(target.OdooUrl, "/web/health"));
        using var nginx = new HealthProbe(new Uri(target.NginxUrl, "/web/health"));
        FixtureFacts ssh = context.Facts with { SshPort = target.SshPort, HostKey = target.HostKey };
        DateTime startedUtc = DateTime.UtcNow;

        async Task<double> RawAsync(CancellationToken ct)
        {
            long started = Stopwatch.GetTimestamp();
            using SshSession session = await SshSession.ConnectAsync(ssh, ct);
            RawPhase restart = await session.RunAsync(Command, ct);
            if (restart.ExitCode != 0)
            {
                throw new BenchException($"`{Command}` on demo-systemd exited {restart.ExitCode}: {restart.Output}");
            }

            await session.WaitAsync("odoo /web/health 200", c => odoo.WaitUntilHealthyAsync(PollInterval, HealthDeadline, c), ct);
            return session.Sample(started).TotalMs;
        }

        async Task<(double Ms, string Outcome, double? Downtime)> OursAsync(CancellationToken ct)
        {
            ProductSample sample = await context.Product.RunAsync(Request, ct);
            return (sample.TotalMs, sample.Outcome, sample.DowntimeSeconds);
        }

        async Task<T> MeasureAsync<T>(Func<CancellationToken, Task<T>> run)
        {
            await SteadyAsync(target, odoo, nginx, cancellationToken);
            string cursor = await target.CursorAsync(cancellationToken);
            T result = await run(cancellationToken);
            int starts = await target.OdooStartsSinceAsync(cursor, cancellationToken);
            if (starts != 1)
            {
                throw new BenchException($"demo-systemd: {starts} start(s) of odoo.service in the journal during one run, expected 1");
            }

            return result;
        }

        var raw = new List<double>();
        var ours = new List<double>();
        var lines = new List<string>();
        if (context.Options.Warmup)
        {
            context.Log.WriteLine($"{Name}: warm-up (not measured): one raw run, one remediation");
            await MeasureAsync(RawAsync);
            await MeasureAsync(OursAsync);
        }

        for (int i = 1; i <= context.Options.Runs; i++)
        {
            double a = await MeasureAsync(RawAsync);
            (double b, string outcome, double? downtime) = await MeasureAsync(OursAsync);
            raw.Add(a);
            ours.Add(b);
            string line = string.Create(CultureInfo.InvariantCulture, $"{Name} run {i}/{context.Options.Runs}: raw {a:0} ms, ours {b:0} ms ({outcome}, downtime {downtime?.ToString("0.000", CultureInfo.InvariantCulture) ?? "?"} s)");
            context.Log.WriteLine(line);
            lines.Add(line);
        }

        Distribution rawMs = Distribution.Of(raw);
        Distribution oursMs = Distribution.Of(ours);
        double rawMedian = Math.Round(rawMs.Median, MidpointRounding.AwayFromZero);
        double oursMedian = Math.Round(oursMs.Median, MidpointRounding.AwayFromZero);
        string summary = string.Create(CultureInfo.InvariantCulture,
            $"restart-odoo[systemd]: raw {rawMedian:0} ms, ours {oursMedian:0} ms, ratio {oursMs.Median / rawMs.Median:0.00}, overhead {oursMedian - rawMedian:0} ms");
        var report = new { Benchmark = Name, StartedUtc = startedUtc, FinishedUtc = DateTime.UtcNow, context.Options.Runs, Raw = rawMs, Ours = oursMs, RawMs = raw, OursMs = ours, RawCommand = Command, ProductRequest = Request, Summary = summary };
        return new BenchOutcome(report, startedUtc, lines, summary);
    }

    /// <summary>odoo, postgresql and nginx active (running) in the container and both health URLs answering, then 1 s of rest.</summary>
    private static async Task SteadyAsync(SystemdFacts target, HealthProbe odoo, HealthProbe nginx, CancellationToken cancellationToken)
    {
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (!(await target.AllRunningAsync(cancellationToken) && await odoo.IsHealthyAsync(cancellationToken) && await nginx.IsHealthyAsync(cancellationToken)))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new BenchException("demo-systemd did not reach a steady state (postgresql, odoo, nginx active and healthy) within 2 min");
            }

            await Task.Delay(100, cancellationToken);
        }

        await Task.Delay(BenchRunner.PauseBetweenRuns, cancellationToken);
    }
}
