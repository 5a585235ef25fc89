using System.Diagnostics;

namespace Remediation.Bench.Benchmarks;

/// <summary>restart-odoo: <c>supervisorctl restart odoo</c> over SSH and a health poll (raw) vs restart-service of odoo (ours).</summary>
public static class RestartOdooBenchmark
{
    public const string Command = "sudo -n /usr/bin/supervisorctl restart odoo";

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan HealthDeadline = TimeSpan.FromSeconds(60);

    public static RatioBenchmark Definition { get; } = new()
    {
        Name = "restart-odoo",
        Label = "restart-odoo[supervisor]",   // beside restart-odoo-systemd's restart-odoo[systemd]
        RawDescription = $"one SSH connection, `{Command}` (must print 'odoo: started'), then GET /web/health on :8069 every {PollInterval.TotalMilliseconds:0} ms until 200",
        ProductRequest = """{"target":"demo","procedure":"restart-service","service":"odoo","reason":"benchmark","requestedBy":"bench","force":true}""",
        ExpectedSpawns = new Dictionary<string, int>(StringComparer.Ordinal) { ["odoo"] = 1 },
        RunRawAsync = RunRawAsync,
    };

    private static async Task<RawSample> RunRawAsync(BenchContext context, CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        using SshSession ssh = await SshSession.ConnectAsync(context.Facts, cancellationToken);
        RawPhase restart = await ssh.RunAsync(Command, cancellationToken);
        if (restart.Output?.Contains("odoo: started", StringComparison.Ordinal) != true)
        {
            throw new BenchException($"`{Command}` did not report 'odoo: started': {restart.Output}");
        }

        await ssh.WaitAsync("odoo /web/health 200", ct => context.OdooHealth.WaitUntilHealthyAsync(PollInterval, HealthDeadline, ct), cancellationToken);
        return ssh.Sample(started);
    }
}
