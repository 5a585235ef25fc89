using Remediation.Inventory;

namespace Remediation.Runs;

/// <summary>One service's part in a run: what was done to it, its main PID before and after, and its measured downtime.</summary>
public sealed record ServiceChange
{
    public required string Service { get; init; }
    public ServiceKind Kind { get; init; }
    public ServiceAction Action { get; init; }
    public int? PidBefore { get; init; }
    public int? PidAfter { get; init; }

    /// <summary>Seconds the service did not answer its readiness probe; null when not measured (see <see cref="DowntimeMethod"/>).</summary>
    public double? DowntimeSeconds { get; init; }

    /// <summary>How the downtime was measured, or why it was not.</summary>
    public string DowntimeMethod { get; init; } = "";

    /// <summary>When the outage began and ended (UTC), when measured; the run's total downtime is the union of these.</summary>
    public DateTime? DownFromUtc { get; init; }
    public DateTime? DownUntilUtc { get; init; }

    public bool ForcePathTaken { get; init; }
}
