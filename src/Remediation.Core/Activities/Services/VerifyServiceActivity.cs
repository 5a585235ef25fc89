using Microsoft.DurableTask;
using Remediation.Activities.Logs;
using Remediation.Inventory;
using Remediation.Probes;
using Remediation.Procedures;
using Remediation.Ssh;

namespace Remediation.Activities.Services;

/// <summary>
/// Post-restart verification ("Immediate checks" and "Application health"): status of every service, errors
/// written to the logs since the restart began, the health endpoint, the database and the login page —
/// then the runbook's success criteria judged from that evidence.
/// </summary>
public sealed class VerifyServiceActivity : TaskActivity<VerifyServiceRequest, VerificationReport>
{
    private readonly Inventory.Inventory _inventory;
    private readonly ISshConnector _ssh;
    private readonly ServiceStatusReader _status;
    private readonly LogScanner _logs;
    private readonly ReadinessChecker _readiness;
    private readonly HttpProbe _http;
    private readonly OdooDatabase _database;

    public VerifyServiceActivity(
        Inventory.Inventory inventory,
        ISshConnector ssh,
        ServiceStatusReader status,
        LogScanner logs,
        ReadinessChecker readiness,
        HttpProbe http,
        OdooDatabase database)
    {
        _inventory = inventory;
        _ssh = ssh;
        _status = status;
        _logs = logs;
        _readiness = readiness;
        _http = http;
        _database = database;
    }

    public override async Task<VerificationReport> RunAsync(TaskActivityContext context, VerifyServiceRequest input)
    {
        TargetDefinition target = _inventory.GetTarget(input.Target);
        ServiceDefinition service = target.GetService(input.Service);

        // The probes from this host run while the SSH checks run on the target.
        Task<ProbeResult?> health = service.Readiness is { } probe ? Nullable(_readiness.CheckAsync(probe, target, CancellationToken.None)) : Task.FromResult<ProbeResult?>(null);
        Task<ProbeResult?> database = target.Database is { } db ? Nullable(CheckDatabaseAsync(db)) : Task.FromResult<ProbeResult?>(null);
        Task<ProbeResult?> loginPage = LoginPageOf(service) is { } login ? Nullable(_http.ProbeAsync(login, TimeSpan.FromSeconds(5), CancellationToken.None)) : Task.FromResult<ProbeResult?>(null);

        IReadOnlyList<ServiceStatusReport> statuses;
        LogScan[] scans;
        await using (ISshSession ssh = await _ssh.ConnectAsync(target, CancellationToken.None))
        {
            Task<IReadOnlyList<ServiceStatusReport>> reading = _status.ReadAllAsync(ssh, target, CancellationToken.None);
            Task<LogScan[]> scanning = Task.WhenAll(input.LogPositions.Select(p => _logs.ScanSinceAsync(ssh, p.Path, p.Offset, CancellationToken.None)));
            statuses = await reading;
            scans = await scanning;
        }

        var evidence = new VerificationReport
        {
            Statuses = statuses,
            Logs = scans,
            Health = await health,
            Database = await database,
            LoginPage = await loginPage,
        };
        return evidence with { Criteria = SuccessCriteriaEvaluator.Evaluate(evidence) };
    }

    /// <summary>Odoo's login page lives next to its health endpoint.</summary>
    private static Uri? LoginPageOf(ServiceDefinition service) =>
        service.Kind == ServiceKind.Odoo && service.Readiness?.Http is { } health ? new Uri(health, "/web/login") : null;

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
