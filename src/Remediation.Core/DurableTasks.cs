using Microsoft.DurableTask;
using Remediation.Activities.Artifacts;
using Remediation.Activities.Database;
using Remediation.Activities.Nginx;
using Remediation.Activities.Notifications;
using Remediation.Procedures.Escalate;
using Remediation.Activities.Postgresql;
using Remediation.Activities.Rollouts;
using Remediation.Activities.Runs;
using Remediation.Activities.Services;
using Remediation.Procedures.ReloadNginx;
using Remediation.Procedures.RestartPostgresql;
using Remediation.Procedures.RestartService;
using Remediation.Procedures.RestartStack;
using Remediation.Procedures.Rollout;
using Remediation.Procedures.Verify;

namespace Remediation;

/// <summary>The one list of orchestrators and activities that every host registers (self-host, Functions, in-memory tests).</summary>
public static class DurableTasks
{
    /// <summary>Orchestrator types; each is registered under its class name.</summary>
    public static IReadOnlyList<Type> Orchestrators { get; } =
    [
        typeof(RestartServiceOrchestrator),
        typeof(RestartPostgresqlOrchestrator),
        typeof(ReloadNginxOrchestrator),
        typeof(RestartStackOrchestrator),
        typeof(VerifyOrchestrator),
        typeof(EscalateOrchestrator),
        typeof(RolloutOrchestrator),
        typeof(PlannedRunOrchestrator),
    ];

    /// <summary>Activity types; each is registered under its class name and constructed from the host's services.</summary>
    public static IReadOnlyList<Type> Activities { get; } =
    [
        typeof(InspectStackActivity),
        typeof(CheckWorkloadActivity),
        typeof(CheckPostgresqlActivity),
        typeof(RestartServiceActivity),
        typeof(StopServiceActivity),
        typeof(KillLeftoverProcessesActivity),
        typeof(StartServiceActivity),
        typeof(WaitForReadinessActivity),
        typeof(SelectPostgresqlVersionActivity),
        typeof(TestNginxConfigActivity),
        typeof(ReloadServiceActivity),
        typeof(VerifyStackActivity),
        typeof(WriteRestartLogActivity),
        typeof(ReleaseTargetLockActivity),
        typeof(DeliverNotificationActivity),
        typeof(SendMaintenanceNoticeActivity),
        typeof(CollectDeferredRunsActivity),
        typeof(EstimateRunActivity),
        typeof(StartPlannedRemediationActivity),
        typeof(ReadRunOutcomeActivity),
        typeof(WriteRolloutRecordActivity),
        typeof(PlanRunActivity),
    ];

    /// <summary>Registers every remediation orchestrator and activity on a Durable Task registry.</summary>
    public static DurableTaskRegistry AddRemediationTasks(this DurableTaskRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        foreach (Type orchestrator in Orchestrators)
        {
            registry.AddOrchestrator(orchestrator);
        }

        foreach (Type activity in Activities)
        {
            registry.AddActivity(activity);
        }

        return registry;
    }
}
