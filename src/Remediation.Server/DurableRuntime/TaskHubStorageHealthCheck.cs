using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Remediation.Server.DurableRuntime;

/// <summary>Unhealthy (503 on /healthz) while the task hub's storage does not answer: no run can make progress then, on this server or any other.</summary>
public sealed class TaskHubStorageHealthCheck(TaskHubStorageProbe probe) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        StorageReachability reachability = await probe.CheckAsync(cancellationToken);
        return reachability.IsReachable ? HealthCheckResult.Healthy(reachability.Description) : HealthCheckResult.Unhealthy(reachability.Description);
    }
}
