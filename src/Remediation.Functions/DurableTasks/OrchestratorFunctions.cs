using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Remediation.Procedures.Escalate;
using Remediation.Procedures.ReloadNginx;
using Remediation.Procedures.RestartPostgresql;
using Remediation.Procedures.RestartService;
using Remediation.Procedures.RestartStack;
using Remediation.Procedures.Rollout;
using Remediation.Procedures.Verify;
using Remediation.Runs;

namespace Remediation.Functions.DurableTasks;

/// <summary>One thin <c>[Function]</c> per orchestrator in <see cref="DurableTasks"/>, named like the class so both hosts resolve the same names.</summary>
/// <remarks>
/// Hand-written because Microsoft.DurableTask.Generators is not available; a unit test fails when a listed orchestrator
/// has no wrapper. The input is bound as a parameter (the extension's orchestration input converter), which is what
/// DURABLE0009 asks for instead of <c>GetInput&lt;T&gt;()</c>.
/// </remarks>
public static class OrchestratorFunctions
{
    [Function(nameof(RestartServiceOrchestrator))]
    public static Task<RunRecord> RestartService([OrchestrationTrigger] TaskOrchestrationContext context, RestartServiceRequest input) =>
        new RestartServiceOrchestrator().RunAsync(context, input);

    [Function(nameof(RestartPostgresqlOrchestrator))]
    public static Task<RunRecord> RestartPostgresql([OrchestrationTrigger] TaskOrchestrationContext context, RestartPostgresqlRequest input) =>
        new RestartPostgresqlOrchestrator().RunAsync(context, input);

    [Function(nameof(ReloadNginxOrchestrator))]
    public static Task<RunRecord> ReloadNginx([OrchestrationTrigger] TaskOrchestrationContext context, ReloadNginxRequest input) =>
        new ReloadNginxOrchestrator().RunAsync(context, input);

    [Function(nameof(RestartStackOrchestrator))]
    public static Task<RunRecord> RestartStack([OrchestrationTrigger] TaskOrchestrationContext context, RestartStackRequest input) =>
        new RestartStackOrchestrator().RunAsync(context, input);

    [Function(nameof(RolloutOrchestrator))]
    public static Task<RolloutRecord> Rollout([OrchestrationTrigger] TaskOrchestrationContext context, RolloutRequest input) =>
        new RolloutOrchestrator().RunAsync(context, input);

    [Function(nameof(PlannedRunOrchestrator))]
    public static Task<PlannedRunResult> PlannedRun([OrchestrationTrigger] TaskOrchestrationContext context, PlannedRunRequest input) =>
        new PlannedRunOrchestrator().RunAsync(context, input);

    [Function(nameof(VerifyOrchestrator))]
    public static Task<RunRecord> Verify([OrchestrationTrigger] TaskOrchestrationContext context, VerifyRequest input) =>
        new VerifyOrchestrator().RunAsync(context, input);

    [Function(nameof(EscalateOrchestrator))]
    public static Task<RunRecord> Escalate([OrchestrationTrigger] TaskOrchestrationContext context, EscalateRequest input) =>
        new EscalateOrchestrator().RunAsync(context, input);
}
