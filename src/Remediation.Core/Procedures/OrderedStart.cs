using Microsoft.DurableTask;
using Remediation.Activities;
using Remediation.Activities.Services;
using Remediation.Runs;

namespace Remediation.Procedures;

/// <summary>
/// Start services in dependency order, each only once the one before it answers its readiness probe (runbook §2
/// "Restart Odoo" after PostgreSQL, §4 "Start services in dependency order") — no fixed sleeps. Once one is not
/// ready, the rest are left stopped and that is recorded.
/// </summary>
public static class OrderedStart
{
    /// <summary>True when every service started and answers; <paramref name="notReady"/> says why the rest were left stopped.</summary>
    public static async Task<bool> RunAsync(TaskOrchestrationContext context, Run run, string target, IEnumerable<ServiceChangeTracker> services, bool ready, string notReady)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(services);
        foreach (ServiceChangeTracker service in services)
        {
            if (!ready)
            {
                run.Journal.Skip($"Start {service.Service}", $"not started: {notReady}");
                run.Issue($"{service.Service} was left stopped because {notReady}");
                continue;
            }

            var reference = new ServiceRef(target, service.Service);
            run.Journal.Begin($"Start {service.Service}");
            ServiceActionResult start = await context.CallActivityAsync<ServiceActionResult>(nameof(StartServiceActivity), reference, TargetRetry.Options);
            if (!run.RecordStart(service, start))
            {
                run.Journal.Skip($"Wait for {service.Service} readiness", "not waited for: the start failed");
                ready = false;
                continue;
            }

            run.Journal.Begin($"Wait for {service.Service} readiness");
            ready = run.RecordReadiness(service, await context.CallActivityAsync<ReadinessOutcome>(nameof(WaitForReadinessActivity), new ReadinessWait(target, service.Service, start.After), TargetRetry.Options));
        }

        return ready;
    }
}
