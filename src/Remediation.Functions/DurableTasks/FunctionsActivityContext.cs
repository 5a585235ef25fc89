using Microsoft.DurableTask;

namespace Remediation.Functions.DurableTasks;

/// <summary>The <see cref="TaskActivityContext"/> an activity gets in Azure Functions, built from the trigger's binding data (the Functions host passes none itself).</summary>
/// <remarks>What Microsoft.DurableTask.Generators would emit (its <c>GeneratedActivityContext</c>); the generator is not available here.</remarks>
internal sealed class FunctionsActivityContext(TaskName name, string instanceId) : TaskActivityContext
{
    public override TaskName Name { get; } = name;

    public override string InstanceId { get; } = instanceId;
}
