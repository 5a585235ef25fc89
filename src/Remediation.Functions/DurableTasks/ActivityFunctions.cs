using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using Remediation.Activities;
using Remediation.Activities.Artifacts;
using Remediation.Activities.Database;
using Remediation.Activities.Services;
using Remediation.Activities.Nginx;
using Remediation.Activities.Postgresql;
using Remediation.Activities.Rollouts;
using Remediation.Activities.Runs;
using Remediation.Activities.Notifications;
using Remediation.Notifications;
using Microsoft.DurableTask.Client;
using Remediation.Functions.DurableClient;
using Remediation.Procedures.Rollout;
using Remediation.Schedules.Deferrals;
using Remediation.Schedules.Notices;
using Remediation.Artifacts;
using Remediation.Runs;
using Remediation.Runs.Plans;

namespace Remediation.Functions.DurableTasks;

/// <summary>One thin <c>[Function]</c> per activity in <see cref="DurableTasks"/>: builds the activity from the invocation's services, as the self-hosted runtime does, and runs it.</summary>
/// <remarks>
/// Hand-written because Microsoft.DurableTask.Generators is not available; a unit test fails when a listed activity has
/// no wrapper. <c>instanceId</c> comes from the activity trigger's binding data and fills the <see cref="TaskActivityContext"/>.
/// </remarks>
public static class ActivityFunctions
{
    [Function(nameof(InspectStackActivity))]
    public static Task<StackInspection> InspectStack([ActivityTrigger] TargetRef input, string instanceId, FunctionContext context) =>
        RunAsync<InspectStackActivity, TargetRef, StackInspection>(input, instanceId, context);

    [Function(nameof(CheckWorkloadActivity))]
    public static Task<WorkloadReport> CheckWorkload([ActivityTrigger] ServiceRef input, string instanceId, FunctionContext context) =>
        RunAsync<CheckWorkloadActivity, ServiceRef, WorkloadReport>(input, instanceId, context);

    [Function(nameof(CheckPostgresqlActivity))]
    public static Task<PostgresqlActivityReport> CheckPostgresql([ActivityTrigger] PostgresqlCheckRequest input, string instanceId, FunctionContext context) =>
        RunAsync<CheckPostgresqlActivity, PostgresqlCheckRequest, PostgresqlActivityReport>(input, instanceId, context);

    [Function(nameof(RestartServiceActivity))]
    public static Task<RestartAttempt> RestartService([ActivityTrigger] RestartServiceCommand input, string instanceId, FunctionContext context) =>
        RunAsync<RestartServiceActivity, RestartServiceCommand, RestartAttempt>(input, instanceId, context);

    [Function(nameof(StopServiceActivity))]
    public static Task<ServiceActionResult> StopService([ActivityTrigger] StopServiceRequest input, string instanceId, FunctionContext context) =>
        RunAsync<StopServiceActivity, StopServiceRequest, ServiceActionResult>(input, instanceId, context);

    [Function(nameof(KillLeftoverProcessesActivity))]
    public static Task<LeftoverProcessesReport> KillLeftoverProcesses([ActivityTrigger] ServiceRef input, string instanceId, FunctionContext context) =>
        RunAsync<KillLeftoverProcessesActivity, ServiceRef, LeftoverProcessesReport>(input, instanceId, context);

    [Function(nameof(StartServiceActivity))]
    public static Task<ServiceActionResult> StartService([ActivityTrigger] ServiceRef input, string instanceId, FunctionContext context) =>
        RunAsync<StartServiceActivity, ServiceRef, ServiceActionResult>(input, instanceId, context);

    [Function(nameof(WaitForReadinessActivity))]
    public static Task<ReadinessOutcome> WaitForReadiness([ActivityTrigger] ReadinessWait input, string instanceId, FunctionContext context) =>
        RunAsync<WaitForReadinessActivity, ReadinessWait, ReadinessOutcome>(input, instanceId, context);

    [Function(nameof(SelectPostgresqlVersionActivity))]
    public static Task<string> SelectPostgresqlVersion([ActivityTrigger] TargetRef input, string instanceId, FunctionContext context) =>
        RunAsync<SelectPostgresqlVersionActivity, TargetRef, string>(input, instanceId, context);

    [Function(nameof(TestNginxConfigActivity))]
    public static Task<ConfigTestResult> TestNginxConfig([ActivityTrigger] ServiceRef input, string instanceId, FunctionContext context) =>
        RunAsync<TestNginxConfigActivity, ServiceRef, ConfigTestResult>(input, instanceId, context);

    [Function(nameof(ReloadServiceActivity))]
    public static Task<RestartAttempt> ReloadService([ActivityTrigger] ServiceRef input, string instanceId, FunctionContext context) =>
        RunAsync<ReloadServiceActivity, ServiceRef, RestartAttempt>(input, instanceId, context);

    [Function(nameof(VerifyStackActivity))]
    public static Task<VerificationReport> VerifyStack([ActivityTrigger] VerifyStackRequest input, string instanceId, FunctionContext context) =>
        RunAsync<VerifyStackActivity, VerifyStackRequest, VerificationReport>(input, instanceId, context);

    [Function(nameof(WriteRestartLogActivity))]
    public static Task<ArtifactLinks> WriteRestartLog([ActivityTrigger] RunRecord input, string instanceId, FunctionContext context) =>
        RunAsync<WriteRestartLogActivity, RunRecord, ArtifactLinks>(input, instanceId, context);

    [Function(nameof(ReleaseTargetLockActivity))]
    public static Task<bool> ReleaseTargetLock([ActivityTrigger] TargetLockRelease input, string instanceId, FunctionContext context) =>
        RunAsync<ReleaseTargetLockActivity, TargetLockRelease, bool>(input, instanceId, context);

    [Function(nameof(DeliverNotificationActivity))]
    public static Task<IReadOnlyList<NotificationDelivery>> DeliverNotification([ActivityTrigger] Notification input, string instanceId, FunctionContext context) =>
        RunAsync<DeliverNotificationActivity, Notification, IReadOnlyList<NotificationDelivery>>(input, instanceId, context);

    [Function(nameof(SendMaintenanceNoticeActivity))]
    public static Task<DateTime> SendMaintenanceNotice([ActivityTrigger] MaintenanceNotice input, string instanceId, FunctionContext context) =>
        RunAsync<SendMaintenanceNoticeActivity, MaintenanceNotice, DateTime>(input, instanceId, context);

    [Function(nameof(CollectDeferredRunsActivity))]
    public static Task<IReadOnlyList<DeferredRun>> CollectDeferredRuns([ActivityTrigger] DeferredRunsQuery input, string instanceId, FunctionContext context) =>
        RunAsync<CollectDeferredRunsActivity, DeferredRunsQuery, IReadOnlyList<DeferredRun>>(input, instanceId, context);

    [Function(nameof(EstimateRunActivity))]
    public static Task<RunEstimate> EstimateRun([ActivityTrigger] RunEstimateRequest input, string instanceId, FunctionContext context) =>
        RunAsync<EstimateRunActivity, RunEstimateRequest, RunEstimate>(input, instanceId, context);

    // These two reach the intake, which needs the host's durable client: declared here and attached before the call.
    [Function(nameof(StartPlannedRemediationActivity))]
    public static Task<PlannedStartResult> StartPlannedRemediation([ActivityTrigger] PlannedStart input, string instanceId, [DurableClient] DurableTaskClient client, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.InstanceServices.GetRequiredService<BoundDurableTaskClient>().Attach(client);
        return RunAsync<StartPlannedRemediationActivity, PlannedStart, PlannedStartResult>(input, instanceId, context);
    }

    [Function(nameof(ReadRunOutcomeActivity))]
    public static Task<RunState> ReadRunOutcome([ActivityTrigger] string input, string instanceId, [DurableClient] DurableTaskClient client, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.InstanceServices.GetRequiredService<BoundDurableTaskClient>().Attach(client);
        return RunAsync<ReadRunOutcomeActivity, string, RunState>(input, instanceId, context);
    }

    [Function(nameof(WriteRolloutRecordActivity))]
    public static Task<ArtifactLinks> WriteRolloutRecord([ActivityTrigger] RolloutRecord input, string instanceId, FunctionContext context) =>
        RunAsync<WriteRolloutRecordActivity, RolloutRecord, ArtifactLinks>(input, instanceId, context);

    [Function(nameof(PlanRunActivity))]
    public static Task<RunPlan> PlanRun([ActivityTrigger] PlanRequest input, string instanceId, FunctionContext context) =>
        RunAsync<PlanRunActivity, PlanRequest, RunPlan>(input, instanceId, context);

    // The invocation's services are a scope of their own, like the self-hosted runtime's scope per execution.
    private static Task<TOutput> RunAsync<TActivity, TInput, TOutput>(TInput input, string instanceId, FunctionContext context)
        where TActivity : TaskActivity<TInput, TOutput>
    {
        ArgumentNullException.ThrowIfNull(context);
        TActivity activity = ActivatorUtilities.CreateInstance<TActivity>(context.InstanceServices);
        return activity.RunAsync(new FunctionsActivityContext(typeof(TActivity).Name, instanceId), input);
    }
}
