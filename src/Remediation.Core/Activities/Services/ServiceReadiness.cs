using Remediation.Inventory;
using Remediation.Probes;
using Remediation.ServiceManagers;
using Remediation.Ssh;

namespace Remediation.Activities.Services;

/// <summary>
/// Waits for a service to be ready: its readiness probe answers (watched while a command runs) and its manager says
/// running. Stops waiting as soon as the manager reports a terminal failure (supervisor FATAL, systemd failed) and
/// quotes the service's own last log lines.
/// </summary>
public sealed class ServiceReadiness
{
    /// <summary>How often the manager is asked again while the probe has not answered yet.</summary>
    public static readonly TimeSpan StatusRecheckInterval = TimeSpan.FromSeconds(2);

    private readonly ReadinessWatch _watch;
    private readonly ServiceStatusReader _status;
    private readonly LogScanner _logs;
    private readonly TimeProvider _time;

    public ServiceReadiness(ReadinessWatch watch, ServiceStatusReader status, LogScanner logs, TimeProvider time)
    {
        _watch = watch;
        _status = status;
        _logs = logs;
        _time = time;
    }

    /// <summary>
    /// Watches <paramref name="service"/>'s readiness probe while <paramref name="during"/> runs (if given) and until it
    /// answers, and takes the manager's status beside it — unless the manager already said it runs: in
    /// <paramref name="known"/> (a start that reported "started") or in the output of <paramref name="during"/> itself.
    /// </summary>
    public async Task<ReadinessOutcome> WaitAsync(ISshSession ssh, TargetDefinition target, ServiceDefinition service, Task<CommandResult>? during, ServiceStatus? known, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(service);
        using var terminal = new CancellationTokenSource();
        using var watchDone = new CancellationTokenSource();

        // The manager's status is read as soon as the command has returned, side by side with the readiness watch:
        // a supervisorctl call is a Python start-up (a quarter of a second), which the watch need not wait for.
        Task<ServiceStatus> status = FollowStatusAsync(ssh, target, service, during, known, terminal, watchDone.Token, cancellationToken);
        Task<bool>? succeeded = during is null ? null : CommandResult.SucceededAsync(during);
        ReadinessTimeline? timeline = null;
        try
        {
            if (service.Readiness is { } probe)
            {
                TimeSpan deadline = TimeSpan.FromSeconds(service.ReadinessTimeoutSeconds + (during is null ? 0 : service.GracefulTimeoutSeconds));
                timeline = await _watch.WatchAsync(probe, target, succeeded, deadline, cancellationToken, terminal.Token);
            }
            else if (succeeded is not null)
            {
                await succeeded;
            }
        }
        finally
        {
            await watchDone.CancelAsync();
        }

        ServiceStatus final = await status;
        if (timeline is { Ready: true } && !final.IsRunning && final.State != ServiceState.Failed)
        {
            // The last read came while it was still starting; the probe answers now, so ask once more.
            final = await _status.ReadAsync(ssh, target, service, cancellationToken);
        }

        IReadOnlyList<string> quoted = final.State == ServiceState.Failed ? await _logs.QuoteLastLinesAsync(ssh, service.LogFiles, cancellationToken) : [];
        return new ReadinessOutcome(final, timeline) { ServiceLog = quoted };
    }

    /// <summary>
    /// The manager's view while the watch runs: read once the command is done, then every few seconds until the watch
    /// ends; a terminal failure ends the watch (<paramref name="terminal"/>) instead of letting it poll out its deadline.
    /// </summary>
    private async Task<ServiceStatus> FollowStatusAsync(
        ISshSession ssh, TargetDefinition target, ServiceDefinition service, Task<CommandResult>? during, ServiceStatus? known,
        CancellationTokenSource terminal, CancellationToken watchDone, CancellationToken cancellationToken)
    {
        ServiceStatus status = await ReadWhenDoneAsync(ssh, target, service, during, known, cancellationToken);
        while (true)
        {
            if (status.State == ServiceState.Failed)
            {
                await terminal.CancelAsync();
                return status;
            }

            try
            {
                await Task.Delay(StatusRecheckInterval, _time, watchDone);
            }
            catch (OperationCanceledException) when (watchDone.IsCancellationRequested)
            {
                return status;
            }

            status = await _status.ReadAsync(ssh, target, service, cancellationToken);
        }
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
