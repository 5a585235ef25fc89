using Remediation.Inventory;
using Remediation.Probes;
using Remediation.Ssh;

namespace Remediation.Activities.Services;

/// <summary>Waits for a service to be ready: its readiness probe answers (watched while a command runs) and its manager says running.</summary>
public sealed class ServiceReadiness
{
    private readonly ReadinessWatch _watch;
    private readonly ServiceStatusReader _status;

    public ServiceReadiness(ReadinessWatch watch, ServiceStatusReader status)
    {
        _watch = watch;
        _status = status;
    }

    public async Task<ReadinessOutcome> WaitAsync(ISshSession ssh, TargetDefinition target, ServiceDefinition service, Task<bool>? during, CancellationToken cancellationToken)
    {
        ReadinessTimeline? timeline = null;
        if (service.Readiness is { } probe)
        {
            TimeSpan deadline = TimeSpan.FromSeconds(service.ReadinessTimeoutSeconds + (during is null ? 0 : service.GracefulTimeoutSeconds));
            timeline = await _watch.WatchAsync(probe, target, during, deadline, cancellationToken);
        }
        else if (during is not null)
        {
            await during;
        }

        return new ReadinessOutcome(await _status.ReadAsync(ssh, target, service, cancellationToken), timeline);
    }
}
