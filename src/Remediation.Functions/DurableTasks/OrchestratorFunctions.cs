using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Remediation.Artifacts;
using Remediation.Procedures.RestartService;

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
}
