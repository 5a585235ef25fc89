using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Remediation.Server.DurableRuntime;

/// <summary>Healthy once the durable runtime has created its task hub and started its worker.</summary>
public sealed class DurableRuntimeHealthCheck(DurableRuntimeHostedService runtime) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(runtime.IsRunning
            ? HealthCheckResult.Healthy("The durable runtime is running.")
            : HealthCheckResult.Unhealthy("The durable runtime is not running (starting or stopping)."));
}
