using Remediation.ServiceManagers;

namespace Remediation.Activities.Services;

/// <summary>
/// A readiness wait after a start. <paramref name="StartReported"/> is what the start step's own command reported:
/// when the manager's output is trusted for that (supervisor's "started"), the wait does not read the status again.
/// </summary>
public sealed record ReadinessWait(string Target, string Service, ServiceStatus? StartReported = null);
