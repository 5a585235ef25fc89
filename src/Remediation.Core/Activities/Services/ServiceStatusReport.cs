using Remediation.ServiceManagers;

namespace Remediation.Activities.Services;

/// <summary>A service's status as read from its target, under the inventory's service name.</summary>
public sealed record ServiceStatusReport(string Service, ServiceStatus Status)
{
    public override string ToString() =>
        $"{Service} {Status.RawState}{(Status.MainPid is { } pid ? $" pid {pid}" : "")}";
}
