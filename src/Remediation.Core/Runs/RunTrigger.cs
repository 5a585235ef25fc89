namespace Remediation.Runs;

/// <summary>
/// What started a run: the trigger kind (<see cref="Portal"/>, <see cref="Alert"/>, <see cref="Schedule"/>) and, for an
/// alert, its identity — the source, the source's own fingerprint or alert id, the alert rule and the routing rule that
/// chose the procedure. Kept in the run's input and record so policies (approvals, freezes) can tell alerts from people.
/// </summary>
public sealed record RunTrigger
{
    public const string Portal = "portal";
    public const string Alert = "alert";
    public const string Schedule = "schedule";

    /// <summary><see cref="Portal"/>, <see cref="Alert"/> or <see cref="Schedule"/>.</summary>
    public string Kind { get; init; } = Portal;

    /// <summary>For alerts: azure-monitor, alertmanager or grafana.</summary>
    public string? Source { get; init; }

    /// <summary>The source's identity of the alert: Alertmanager/Grafana <c>fingerprint</c>, Azure Monitor <c>alertId</c>.</summary>
    public string? SourceFingerprint { get; init; }

    /// <summary>The alert rule's name as the source gave it (Alertmanager <c>alertname</c>, Azure <c>alertRule</c>).</summary>
    public string? AlertRule { get; init; }

    /// <summary>The routing rule (configuration) that chose target and procedure.</summary>
    public string? RoutingRule { get; init; }

    /// <summary>Act only if still firing: seconds the run waits on a durable timer first; a resolved alert in that time cancels it.</summary>
    public int HoldSeconds { get; init; }

    /// <summary>True for automatic triggers (alerts, schedules): they are the ones a restart budget may refuse.</summary>
    public bool IsAutomatic => Kind is Alert or Schedule;
}
