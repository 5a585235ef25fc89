using Remediation.Probes;
using Remediation.ServiceManagers;

namespace Remediation.Activities.Services;

/// <summary>A service's state after a watch: the manager's status, the probe timeline, and whether both say "ready".</summary>
public sealed record ReadinessOutcome(ServiceStatus Status, ReadinessTimeline? Timeline)
{
    public bool Ready => Status.IsRunning && (Timeline?.Ready ?? true);
}
