using System.Diagnostics;

namespace Remediation.Bench.Benchmarks;

/// <summary>
/// restart-postgresql: runbook §2's steps by hand over one SSH connection (stop nginx, stop odoo, restart postgresql,
/// wait for SELECT 1, start odoo, start nginx, wait for nginx's 200) vs procedure restart-postgresql (ours).
/// </summary>
public static class RestartPostgresqlBenchmark
{
    private const string Supervisorctl = "sudo -n /usr/bin/supervisorctl";

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    public static RatioBenchmark Definition { get; } = new()
    {
        Name = "restart-postgresql",
        RawDescription =
            $"one SSH connection: `{Supervisorctl} stop nginx`, `stop odoo`, `restart postgresql`, SELECT 1 (Npgsql, new connection) every {PollInterval.TotalMilliseconds:0} ms until it answers, " +
            $"`start odoo`, `start nginx`, then GET /web/health through nginx (:8080) every {PollInterval.TotalMilliseconds:0} ms until 200",
        ProductRequest = """{"target":"demo","procedure":"restart-postgresql","reason":"benchmark","requestedBy":"bench","force":true}""",
        ExpectedSpawns = new Dictionary<string, int>(StringComparer.Ordinal) { ["postgresql"] = 1, ["odoo"] = 1, ["nginx"] = 1 },
        RunRawAsync = RunRawAsync,
    };

    private static async Task<RawSample> RunRawAsync(BenchContext context, CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        using SshSession ssh = await SshSession.ConnectAsync(context.Facts, cancellationToken);
        await ssh.RunAsync($"{Supervisorctl} stop nginx", cancellationToken);
        await ssh.RunAsync($"{Supervisorctl} stop odoo", cancellationToken);
        await ssh.RunAsync($"{Supervisorctl} restart postgresql", cancellationToken);
        await ssh.WaitAsync("postgresql SELECT 1", ct => context.Postgres.WaitUntilAcceptingAsync(PollInterval, Deadline, ct), cancellationToken);
        await ssh.RunAsync($"{Supervisorctl} start odoo", cancellationToken);
        await ssh.RunAsync($"{Supervisorctl} start nginx", cancellationToken);
        await ssh.WaitAsync("nginx /web/health 200", ct => context.NginxHealth.WaitUntilHealthyAsync(PollInterval, Deadline, ct), cancellationToken);
        return ssh.Sample(started);
    }
}
