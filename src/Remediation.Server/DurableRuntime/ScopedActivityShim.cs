using DurableTask.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Worker.Shims;

namespace Remediation.Server.DurableRuntime;

/// <summary>Runs one activity execution inside its own DI scope: the activity is built from the server's services, wrapped by the Microsoft.DurableTask shim, and the scope is disposed when it finishes.</summary>
/// <remarks>A scope per execution mirrors Azure Functions, where each invocation gets <c>FunctionContext.InstanceServices</c>; scoped dependencies (a DB connection, an SSH session) never outlive the step.</remarks>
internal sealed class ScopedActivityShim(
    IServiceScopeFactory scopes,
    DurableTaskShimFactory shims,
    Type activityType) : TaskActivity
{
    public override async Task<string?> RunAsync(TaskContext context, string? input)
    {
        await using AsyncServiceScope scope = scopes.CreateAsyncScope();
        var activity = (ITaskActivity)ActivatorUtilities.CreateInstance(scope.ServiceProvider, activityType);
        TaskActivity shim = shims.CreateActivity(activityType.Name, activity);
        return await shim.RunAsync(context, input);
    }

    // DTFx calls RunAsync; the synchronous entry point exists only for legacy activities.
    public override string Run(TaskContext context, string input) =>
        throw new NotSupportedException($"{nameof(ScopedActivityShim)} runs asynchronously only.");
}
