using Remediation.Activities.Logs;

namespace Remediation.Activities.Services;

/// <summary>The pre-restart view of a target: every service's status and where the restarted service's logs end.</summary>
public sealed record StackInspection(IReadOnlyList<ServiceStatusReport> Statuses, IReadOnlyList<LogPosition> LogPositions)
{
    public ServiceStatusReport? Find(string service) => Statuses.FirstOrDefault(s => s.Service == service);
}
