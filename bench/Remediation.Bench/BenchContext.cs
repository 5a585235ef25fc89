namespace Remediation.Bench;

/// <summary>What every benchmark uses: the options, the fixture's facts, the observer, the health probes, the product client and the runner.</summary>
public sealed class BenchContext : IDisposable
{
    public BenchContext(BenchOptions options, TextWriter log)
    {
        Options = options;
        Log = log;
        Facts = FixtureFacts.Load(options.FixtureEnvFile);
        Observer = new TargetObserver(Facts);
        OdooHealth = new HealthProbe(Facts.OdooHealth);
        NginxHealth = new HealthProbe(Facts.NginxHealth);
        Postgres = new PostgresProbe(Facts.PostgresConnectionString);
        Product = new ProductRun(options.Server, options.ServerLogFile is { } serverLog ? new ServerLog(serverLog) : null);
        Runner = new BenchRunner(Observer, [OdooHealth, NginxHealth], Product, log);
    }

    public BenchOptions Options { get; }
    public TextWriter Log { get; }
    public FixtureFacts Facts { get; }
    public TargetObserver Observer { get; }

    /// <summary><c>/web/health</c> of the Odoo stand-in, directly on :8069.</summary>
    public HealthProbe OdooHealth { get; }

    /// <summary><c>/web/health</c> through nginx on :8080.</summary>
    public HealthProbe NginxHealth { get; }

    public PostgresProbe Postgres { get; }
    public ProductRun Product { get; }
    public BenchRunner Runner { get; }

    public void Dispose()
    {
        OdooHealth.Dispose();
        NginxHealth.Dispose();
        Product.Dispose();
    }
}

/// <summary>One benchmark of bench/: runs its variants, returns the report written to bench/results and the line it prints last.</summary>
public interface IBenchmark
{
    string Name { get; }

    Task<BenchOutcome> RunAsync(BenchContext context, CancellationToken cancellationToken);
}

/// <summary>A benchmark's results: the object serialised to bench/results, the report lines for stdout, and the summary line printed last.</summary>
public sealed record BenchOutcome(object Report, DateTime StartedUtc, IReadOnlyList<string> Lines, string Summary);
