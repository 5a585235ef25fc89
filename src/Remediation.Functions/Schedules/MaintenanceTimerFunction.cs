using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Remediation.Functions.DurableClient;
using Remediation.Schedules.Scheduling;

namespace Remediation.Functions.Schedules;

/// <summary>The Functions app's timer: every minute (NCRONTAB, seconds first) it calls the same scheduler tick as the self-hosted server.</summary>
/// <remarks>The Functions host runs a timer trigger on one instance at a time (a blob lease); the scheduler's claims cover the rest, e.g. a server on the same hub.</remarks>
public sealed class MaintenanceTimerFunction(MaintenanceScheduler scheduler, BoundDurableTaskClient durableClient)
{
    [Function("MaintenanceTimer")]
    public async Task Run([TimerTrigger("0 * * * * *")] TimerInfo timer, [DurableClient] DurableTaskClient client, CancellationToken cancellationToken)
    {
        durableClient.Attach(client);
        await scheduler.TickAsync(cancellationToken);
    }
}
