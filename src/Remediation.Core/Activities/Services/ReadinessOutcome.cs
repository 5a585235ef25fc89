using Remediation.Probes;
using Remediation.ServiceManagers;

namespace Remediation.Activities.Services;

/// <summary>A service's state after a watch: the manager's status, the probe timeline, and whether both say "ready".</summary>
public sealed record ReadinessOutcome(ServiceStatus Status, ReadinessTimeline? Timeline)
{
    /// <summary>The service's own last log lines, quoted when its manager reported a terminal failure.</summary>
    public IReadOnlyList<string> ServiceLog { get; init; } = [];

    public bool Ready => Status.IsRunning && (Timeline?.Ready ?? true);
}
