using Microsoft.DurableTask;
using Microsoft.Extensions.Options;
using Remediation.Server.DurableRuntime;

namespace Remediation.Tests.Server.DurableRuntime;

// Test-only orchestrators and activities: the runtime is proven with these while the product's are being written.

/// <summary>A dependency the activity gets from DI (registered scoped, to prove the per-execution scope).</summary>
public sealed record Salutation(string Text);

/// <summary>What <see cref="GreetActivity"/> answers, and which runtime executed it.</summary>
public sealed record Greeting(string Text, string WorkerId);

/// <summary>Calls <see cref="GreetActivity"/> once.</summary>
public sealed class GreetingOrchestrator : TaskOrchestrator<string, Greeting>
{
    public override Task<Greeting> RunAsync(TaskOrchestrationContext context, string input) =>
        context.CallActivityAsync<Greeting>(nameof(GreetActivity), input);
}

/// <summary>Greets with the salutation from DI and reports the worker id of the runtime that ran it.</summary>
public sealed class GreetActivity(Salutation salutation, IOptions<DurableRuntimeOptions> runtime) : TaskActivity<string, Greeting>
{
    public override Task<Greeting> RunAsync(TaskActivityContext context, string input) =>
        Task.FromResult(new Greeting($"{salutation.Text}, {input}!", runtime.Value.EffectiveWorkerId));
}

/// <summary>Calls <see cref="FailingActivity"/> and returns the failure details it caught.</summary>
public sealed class FailureReportingOrchestrator : TaskOrchestrator<string, string>
{
    public override async Task<string> RunAsync(TaskOrchestrationContext context, string input)
    {
        try
        {
            await context.CallActivityAsync<string>(nameof(FailingActivity), input);
            return "no failure";
        }
        catch (TaskFailedException e)
        {
            return $"{e.FailureDetails.ErrorType}: {e.FailureDetails.ErrorMessage}";
        }
    }
}

/// <summary>Always throws.</summary>
public sealed class FailingActivity : TaskActivity<string, string>
{
    public override Task<string> RunAsync(TaskActivityContext context, string input) =>
        throw new InvalidOperationException($"refused to restart {input}");
}

/// <summary>The payload of the "approval" event.</summary>
public sealed record Approval(string By);

/// <summary>Waits for an "approval" event, then greets the approver through an activity.</summary>
public sealed class ApprovalOrchestrator : TaskOrchestrator<string, string>
{
    public override async Task<string> RunAsync(TaskOrchestrationContext context, string input)
    {
        context.SetCustomStatus(new { step = "waiting for approval", target = input });
        Approval approval = await context.WaitForExternalEvent<Approval>("approval");
        Greeting greeting = await context.CallActivityAsync<Greeting>(nameof(GreetActivity), approval.By);
        return $"{input} approved: {greeting.Text}";
    }
}

/// <summary>Calls <see cref="SlowCountingActivity"/> once with the run's key and duration.</summary>
public sealed class SlowCountingOrchestrator : TaskOrchestrator<SlowWork, int>
{
    public override Task<int> RunAsync(TaskOrchestrationContext context, SlowWork input) =>
        context.CallActivityAsync<int>(nameof(SlowCountingActivity), input);
}

/// <summary>What <see cref="SlowCountingActivity"/> counts under and how long it works.</summary>
public sealed record SlowWork(string Key, TimeSpan Duration);

/// <summary>Counts its executions per key (across every runtime in the test process), then works for longer than a visibility timeout.</summary>
public sealed class SlowCountingActivity : TaskActivity<SlowWork, int>
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> Executions = new();

    public static int ExecutionsOf(string key) => Executions.GetValueOrDefault(key);

    public override async Task<int> RunAsync(TaskActivityContext context, SlowWork input)
    {
        int count = Executions.AddOrUpdate(input.Key, 1, (_, n) => n + 1);
        await Task.Delay(input.Duration);
        return count;
    }
}
