using Remediation.Probes;
using Remediation.Runs;

namespace Remediation.Activities.Services;

/// <summary>Post-restart verification of a whole target: the evidence gathered and the runbook's success criteria judged from it.</summary>
public sealed record VerificationReport
{
    /// <summary>Immediate checks: every service's status.</summary>
    public IReadOnlyList<ServiceStatusReport> Statuses { get; init; } = [];

    /// <summary>Immediate checks: processes of each service that names its process pattern ("ps aux | grep odoo").</summary>
    public IReadOnlyList<ServiceProcesses> Processes { get; init; } = [];

    /// <summary>Immediate checks: the configured ports and whether something listens on them ("netstat -tuln").</summary>
    public IReadOnlyList<PortCheck> Ports { get; init; } = [];

    /// <summary>Application health: each service's readiness probe (HTTP response, /web/health, SQL).</summary>
    public IReadOnlyList<ServiceProbe> Probes { get; init; } = [];

    /// <summary>Application health: "Database connectivity".</summary>
    public ProbeResult? Database { get; init; }

    /// <summary>Application health: ERROR/CRITICAL lines written to each log since the run began.</summary>
    public IReadOnlyList<LogScan> Logs { get; init; } = [];

    /// <summary>User access: a login with the configured test account; null when none is configured.</summary>
    public ProbeResult? Login { get; init; }

    /// <summary>Why no login was attempted, when <see cref="Login"/> is null.</summary>
    public string? LoginNotAttempted { get; init; }

    /// <summary>User access: "Dashboard load time" — GET /web through the front door, redirects followed.</summary>
    public ProbeResult? Dashboard { get; init; }

    public IReadOnlyList<SuccessCriterion> Criteria { get; init; } = [];

    public bool CriticalPassed => Criteria.All(c => !c.Critical || c.Status != CriterionStatus.Failed);

    public bool AllPassed => Criteria.All(c => c.Status != CriterionStatus.Failed);

    /// <summary>The evidence as lines for the run's step details.</summary>
    public IReadOnlyList<string> Evidence =>
    [
        .. Statuses.Select(s => $"status: {s}"),
        .. Processes.Select(p => $"processes: {p}"),
        .. Ports.Select(p => $"port: {p}"),
        .. Probes.Select(p => $"probe: {p.Service} {p.Probe}: {p.Result.Detail} ({p.Result.LatencyMs} ms)"),
        .. Database is null ? Array.Empty<string>() : [$"database: {Database.Detail}"],
        .. Logs.Select(l => $"log: {l.Path}: {l.ErrorLineCount} error line(s) in {l.BytesRead} B{(l.RestartNotices > 0 ? $", {l.RestartNotices} restart notice(s) not counted" : "")}{(l.Rotated ? " (rotated)" : "")}"),
        .. Logs.SelectMany(l => l.FirstErrorLines.Select(e => $"error in {l.Path}: {e}")),
        Login is null ? $"login: not attempted ({LoginNotAttempted})" : $"login: {Login.Detail} ({Login.LatencyMs} ms)",
        .. Dashboard is null ? Array.Empty<string>() : [$"dashboard: {Dashboard.Detail} ({Dashboard.LatencyMs} ms)"],
    ];
}
