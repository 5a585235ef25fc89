using Microsoft.DurableTask;
using Remediation.Activities.Logs;
using Remediation.Inventory;
using Remediation.Probes;
using Remediation.Runs;
using Remediation.ServiceManagers;
using Remediation.Ssh;

namespace Remediation.Activities.Services;

/// <summary>
/// Runbook "Post-Restart Verification" for a whole target — immediate checks (status, processes, listening ports),
/// application health (HTTP responses, /web/health, database, errors in every log since the run began) and user
/// access (test login, dashboard load time) — then the success criteria judged from that evidence.
/// </summary>
public sealed class VerifyStackActivity : TaskActivity<VerifyStackRequest, VerificationReport>
{
    /// <summary>A log the run did not measure before (verify on its own) is scanned over its last this many bytes.</summary>
    public const long LookBackBytes = 16 * 1024;

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan UserAccessTimeout = TimeSpan.FromSeconds(10);

    private readonly Inventory.Inventory _inventory;
    private readonly ISshConnector _ssh;
    private readonly ServiceStatusReader _status;
    private readonly LogScanner _logs;
    private readonly ReadinessChecker _readiness;
    private readonly HttpProbe _http;
    private readonly OdooDatabase _database;
    private readonly OdooLogin _login;

    public VerifyStackActivity(
        Inventory.Inventory inventory,
        ISshConnector ssh,
        ServiceStatusReader status,
        LogScanner logs,
        ReadinessChecker readiness,
        HttpProbe http,
        OdooDatabase database,
        OdooLogin login)
    {
        _login = login;
        _inventory = inventory;
        _ssh = ssh;
        _status = status;
        _logs = logs;
        _readiness = readiness;
        _http = http;
        _database = database;
    }

    public override async Task<VerificationReport> RunAsync(TaskActivityContext context, VerifyStackRequest input)
    {
        TargetDefinition target = _inventory.GetTarget(input.Target);

        // The probes from this host run while the SSH checks run on the target.
        Task<ServiceProbe[]> probes = Task.WhenAll(target.Services.Where(s => s.Readiness is not null).Select(async s =>
            new ServiceProbe(s.Name, ProbeName(s.Readiness!, target), s.Readiness!.Http is not null, await _readiness.CheckAsync(s.Readiness!, target, CancellationToken.None))));
        Task<ProbeResult?> database = target.Database is { } db ? Nullable(CheckDatabaseAsync(db)) : Task.FromResult<ProbeResult?>(null);
        Task<ProbeResult?> dashboard = DashboardOf(target) is { } web ? Nullable(_http.ProbeAsync(web, UserAccessTimeout, CancellationToken.None)) : Task.FromResult<ProbeResult?>(null);
        (Task<ProbeResult?> login, string? notAttempted) = LogIn(target);

        IReadOnlyList<ServiceStatusReport> statuses;
        LogScan[] scans;
        ServiceProcesses[] processes;
        IReadOnlySet<int> listening;
        await using (ISshSession ssh = await _ssh.ConnectAsync(target, CancellationToken.None))
        {
            Task<IReadOnlyList<ServiceStatusReport>> reading = _status.ReadAllAsync(ssh, target, CancellationToken.None);
            Task<LogScan[]> scanning = Task.WhenAll(LogsToScan(target, input.LogPositions).Select(async p =>
                await _logs.ScanSinceAsync(ssh, p.Path, p.Offset >= 0 ? p.Offset : Math.Max(0, await _logs.MeasureAsync(ssh, p.Path, CancellationToken.None) - LookBackBytes), CancellationToken.None)));
            Task<ServiceProcesses[]> listingProcesses = Task.WhenAll(target.Services.Where(s => s.ProcessPattern is not null && s.ProcessUser is not null).Select(async s =>
            {
                CommandResult found = await ssh.RunAsync(ProcessCommands.FindLeftovers(s.ProcessUser!, s.ProcessPattern!), CommandTimeout, CancellationToken.None);
                return new ServiceProcesses(s.Name, s.ProcessUser!, s.ProcessPattern!, [.. ProcessCommands.ParseLeftovers(found).Select(p => $"{p.Pid} {p.CommandLine}")]);
            }));
            Task<CommandResult> ports = ssh.RunAsync(ListeningPorts.List(), CommandTimeout, CancellationToken.None);
            statuses = await reading;
            scans = await scanning;
            processes = await listingProcesses;
            listening = ListeningPorts.Parse(await ports);
        }

        var evidence = new VerificationReport
        {
            Statuses = statuses,
            Processes = processes,
            Ports = [.. ConfiguredPorts(target).Select(p => new PortCheck(p.Service, p.Port, listening.Contains(p.Port)))],
            Probes = await probes,
            Database = await database,
            Logs = scans,
            Login = await login,
            LoginNotAttempted = notAttempted,
            Dashboard = await dashboard,
        };
        return evidence with { Criteria = SuccessCriteriaEvaluator.Evaluate(evidence) };
    }

    /// <summary>Every log of every service, from where the run measured it, or from its recent tail (offset -1).</summary>
    private static IEnumerable<LogPosition> LogsToScan(TargetDefinition target, IReadOnlyList<LogPosition> measured) =>
        target.Services.SelectMany(s => s.LogFiles).Distinct(StringComparer.Ordinal)
            .Select(path => measured.FirstOrDefault(p => p.Path == path) ?? new LogPosition(path, -1));

    /// <summary>The ports the inventory says services answer on, where the probe addresses the target itself.</summary>
    private static IEnumerable<(string Service, int Port)> ConfiguredPorts(TargetDefinition target)
    {
        foreach (ServiceDefinition service in target.Services)
        {
            if (service.Readiness?.Http is { } url && IsTarget(url.Host, target))
            {
                yield return (service.Name, url.Port);
            }
            else if (service.Readiness?.Tcp is { } tcp && tcp.LastIndexOf(':') is > 0 and var colon && int.TryParse(tcp.AsSpan(colon + 1), out int port) && IsTarget(tcp[..colon].Trim('[', ']'), target))
            {
                yield return (service.Name, port);
            }
            else if (service.Readiness?.Sql == true && target.Database is { } db && IsTarget(db.Host, target))
            {
                yield return (service.Name, db.Port);
            }
        }
    }

    private static bool IsTarget(string host, TargetDefinition target) =>
        string.Equals(host, target.Address, StringComparison.OrdinalIgnoreCase) || host is "127.0.0.1" or "localhost" or "::1";

    /// <summary>The front door (nginx, else Odoo itself) with Odoo's <c>/web</c>: the runbook's "Dashboard load time".</summary>
    private static Uri? DashboardOf(TargetDefinition target)
    {
        if (!target.Services.Any(s => s.Kind == ServiceKind.Odoo))
        {
            return null;
        }

        Uri? front = target.Services.FirstOrDefault(s => s.Kind == ServiceKind.Nginx && s.Readiness?.Http is not null)?.Readiness!.Http
            ?? target.Services.FirstOrDefault(s => s.Kind == ServiceKind.Odoo && s.Readiness?.Http is not null)?.Readiness!.Http;
        return front is null ? null : new Uri(front, "/web");
    }

    /// <summary>Signs in through the front door with the configured test account; the workload check leaves that account out.</summary>
    private (Task<ProbeResult?> Login, string? NotAttempted) LogIn(TargetDefinition target)
    {
        ServiceDefinition? odoo = target.Services.FirstOrDefault(s => s.Kind == ServiceKind.Odoo);
        if (odoo?.LoginCheck is not { } account)
        {
            return (Task.FromResult<ProbeResult?>(null), odoo is null ? "the target has no Odoo service" : "no test account (loginCheck) is configured for the Odoo service");
        }

        if (DashboardOf(target) is not { } site)
        {
            return (Task.FromResult<ProbeResult?>(null), "the Odoo service has no HTTP URL to sign in at");
        }

        string database = account.Database ?? target.Database?.Name ?? "";
        string password;
        try
        {
            password = File.ReadAllText(account.PasswordFile).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (Task.FromResult<ProbeResult?>(new ProbeResult(false, 0, $"cannot read the test account's password file {account.PasswordFile}: {e.Message}")), null);
        }

        return (Nullable(_login.LoginAsync(site, database, account.Login, password, UserAccessTimeout, CancellationToken.None)), null);
    }

    private static string ProbeName(ReadinessProbeDefinition probe, TargetDefinition target) =>
        probe.Http?.ToString() ?? probe.Tcp ?? (probe.Sql ? $"SQL SELECT 1 on {target.Database?.Host}:{target.Database?.Port}" : "?");

    private async Task<ProbeResult> CheckDatabaseAsync(DatabaseEndpoint db)
    {
        long started = Environment.TickCount64;
        try
        {
            long backends = await _database.CountBackendsAsync(db, CancellationToken.None);
            return new ProbeResult(true, Environment.TickCount64 - started, $"accepting connections ({backends} backends in pg_stat_activity)");
        }
        catch (Npgsql.NpgsqlException e)
        {
            return new ProbeResult(false, Environment.TickCount64 - started, $"not accepting connections: {e.Message}");
        }
    }

    private static async Task<ProbeResult?> Nullable(Task<ProbeResult> probe) => await probe;
}
