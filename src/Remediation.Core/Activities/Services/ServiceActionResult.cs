using Remediation.ServiceManagers;

namespace Remediation.Activities.Services;

/// <summary>
/// The outcome of a guarded stop or start: whether it acted, whether it reached the wanted state, the state
/// afterwards, and — for a stop — when the service was seen down (the start of the outage, for downtime).
/// </summary>
public sealed record ServiceActionResult(bool Changed, string Summary, bool Reached, ServiceStatus After, DateTime? DownSinceUtc = null)
{
    /// <summary>The service's own last log lines, quoted when the action failed.</summary>
    public IReadOnlyList<string> ServiceLog { get; init; } = [];

    /// <summary>For a stop an earlier, interrupted delivery made: the target's evidence <see cref="DownSinceUtc"/> was read from.</summary>
    public string? DownEvidence { get; init; }
}
