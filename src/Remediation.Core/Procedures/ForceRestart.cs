using Microsoft.DurableTask;
using Remediation.Activities;
using Remediation.Activities.Services;
using Remediation.Runs;

namespace Remediation.Procedures;

/// <summary>Runbook §1 "Force Restart (If Graceful Fails)": stop, verify all processes stopped, kill hanging ones, start, wait for readiness.</summary>
public static class ForceRestart
{
    /// <summary>True when the service is ready afterwards.</summary>
    public static async Task<bool> RunAsync(TaskOrchestrationContext context, Run run, ServiceChangeTracker service, ServiceRef target)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(service);
        service.ForcePathTaken = true;

        run.Journal.Begin("Force restart: stop");
        run.RecordStop(service, await context.CallActivityAsync<ServiceActionResult>(nameof(StopServiceActivity), new StopServiceRequest(target.Target, target.Service, service.PidBefore), TargetRetry.Options));

        run.Journal.Begin("Force restart: kill leftover processes");
        run.RecordLeftovers(service, await context.CallActivityAsync<LeftoverProcessesReport>(nameof(KillLeftoverProcessesActivity), target, TargetRetry.Options));

        run.Journal.Begin("Force restart: start");
        ServiceActionResult start = await context.CallActivityAsync<ServiceActionResult>(nameof(StartServiceActivity), target, TargetRetry.Options);
        bool started = run.RecordStart(service, start);

        if (!started)
        {
            // A start the manager already refused (FATAL) will not become ready: do not wait out the readiness timeout.
            run.Journal.Skip("Force restart: wait for readiness", "not waited for: the start failed");
            return false;
        }

        run.Journal.Begin("Force restart: wait for readiness");
        return run.RecordReadiness(service, await context.CallActivityAsync<ReadinessOutcome>(nameof(WaitForReadinessActivity), new ReadinessWait(target.Target, target.Service, start.After), TargetRetry.Options));
    }
}
