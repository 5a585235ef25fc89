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

    /// <summary>
    /// Watches <paramref name="service"/>'s readiness probe while <paramref name="during"/> runs (if given) and until it
    /// answers, and takes the manager's status beside it — unless the manager already said it runs: in
    /// <paramref name="known"/> (a start that reported "started") or in the output of <paramref name="during"/> itself.
    /// </summary>
    public async Task<ReadinessOutcome> WaitAsync(ISshSession ssh, TargetDefinition target, ServiceDefinition service, Task<CommandResult>? during, ServiceStatus? known, CancellationToken cancellationToken)
    {
        // The manager's status is read as soon as the command has returned, side by side with the readiness watch:
        // a supervisorctl call is a Python start-up (a quarter of a second), which the watch need not wait for.
        Task<ServiceStatus> status = ReadWhenDoneAsync(ssh, target, service, during, known, cancellationToken);
        Task<bool>? succeeded = during is null ? null : CommandResult.SucceededAsync(during);
        ReadinessTimeline? timeline = null;
        if (service.Readiness is { } probe)
        {
            TimeSpan deadline = TimeSpan.FromSeconds(service.ReadinessTimeoutSeconds + (during is null ? 0 : service.GracefulTimeoutSeconds));
            timeline = await _watch.WatchAsync(probe, target, succeeded, deadline, cancellationToken);
        }
        else if (succeeded is not null)
        {
            await succeeded;
        }

        return new ReadinessOutcome(await status, timeline);
    }

    private async Task<ServiceStatus> ReadWhenDoneAsync(ISshSession ssh, TargetDefinition target, ServiceDefinition service, Task<CommandResult>? during, ServiceStatus? known, CancellationToken cancellationToken)
    {
        if (known is not null)
        {
            return known;
        }

        if (during is not null)
        {
            // The command's own failure is reported by the watch (or the caller); here it only means "done".
            await during.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            IServiceManager manager = _status.ManagerOf(target);
            if (during.IsCompletedSuccessfully && manager.CommandsReportOutcome && manager.OutcomeOf(service.UnitName, during.Result) == CommandOutcome.Started)
            {
                return ServiceStatus.Reported(service.UnitName, ServiceState.Running, during.Result);
            }
        }

        return await _status.ReadAsync(ssh, target, service, cancellationToken);
    }
}
