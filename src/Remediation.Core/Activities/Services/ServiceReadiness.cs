using Remediation.Inventory;
using Remediation.Probes;
using Remediation.ServiceManagers;
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
        // The manager's status is read as soon as the command has returned, side by side with the readiness watch:
        // a supervisorctl call is a Python start-up (a quarter of a second), which the watch need not wait for.
        Task<ServiceStatus> status = ReadWhenDoneAsync(ssh, target, service, during, cancellationToken);
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

        return new ReadinessOutcome(await status, timeline);
    }

    private async Task<ServiceStatus> ReadWhenDoneAsync(ISshSession ssh, TargetDefinition target, ServiceDefinition service, Task<bool>? during, CancellationToken cancellationToken)
    {
        if (during is not null)
        {
            // The command's own failure is reported by the watch (or the caller); here it only means "done".
            await during.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        return await _status.ReadAsync(ssh, target, service, cancellationToken);
    }
}
