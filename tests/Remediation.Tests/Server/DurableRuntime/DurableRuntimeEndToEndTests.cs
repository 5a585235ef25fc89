using System.Diagnostics;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Remediation.Tests.Fixture;
using Xunit;
using Xunit.Abstractions;

namespace Remediation.Tests.Server.DurableRuntime;

[Trait("Category", "EndToEnd")]
[Collection(TargetHostCollection.Name)]
public sealed class DurableRuntimeEndToEndTests(TargetHostFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan PromptStop = TimeSpan.FromSeconds(5);

    private readonly string _taskHub = TestRuntime.NewTaskHubName();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => TestRuntime.DeleteTaskHubAsync(Storage, _taskHub);

    private string Storage => fixture.Facts.StorageConnectionString;

    [Fact]
    public async Task ScheduleNewOrchestration_OnAzurite_CompletesWithActivityOutput()
    {
        using IHost host = TestRuntime.Create(Storage, _taskHub, "worker-a");
        var started = Stopwatch.StartNew();
        await host.StartAsync();
        output.WriteLine($"runtime start (task hub created): {started.ElapsedMilliseconds} ms");
        DurableTaskClient client = host.Services.GetRequiredService<DurableTaskClient>();

        // First run after start pays for JIT; the second shows steady-state latency.
        foreach (string name in new[] { "odoo", "nginx" })
        {
            var run = Stopwatch.StartNew();
            string id = await client.ScheduleNewOrchestrationInstanceAsync(nameof(GreetingOrchestrator), name);
            OrchestrationMetadata done = await client.WaitForCompletionAsync(id);
            output.WriteLine($"{name}: schedule -> {done.RuntimeStatus} in {run.ElapsedMilliseconds} ms");

            Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
            Assert.Equal(new Greeting($"Hello, {name}!", "worker-a"), done.ReadOutputAs<Greeting>());
        }

        await host.StopAsync();
    }

    [Fact]
    public async Task ActivityThrows_OnAzurite_OrchestratorSeesFailureDetails()
    {
        using IHost host = TestRuntime.Create(Storage, _taskHub, "worker-a");
        await host.StartAsync();
        DurableTaskClient client = host.Services.GetRequiredService<DurableTaskClient>();

        string id = await client.ScheduleNewOrchestrationInstanceAsync(nameof(FailureReportingOrchestrator), "postgresql");
        OrchestrationMetadata done = await client.WaitForCompletionAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal("System.InvalidOperationException: refused to restart postgresql", done.ReadOutputAs<string>());
        await host.StopAsync();
    }

    [Fact]
    public async Task TwoRuntimesOnOneHub_BothStartWorkAndTheSurvivorTakesOver()
    {
        using IHost first = TestRuntime.Create(Storage, _taskHub, "worker-a");
        using IHost second = TestRuntime.Create(Storage, _taskHub, "worker-b");
        await Task.WhenAll(first.StartAsync(), second.StartAsync());
        DurableTaskClient firstClient = first.Services.GetRequiredService<DurableTaskClient>();
        DurableTaskClient secondClient = second.Services.GetRequiredService<DurableTaskClient>();

        string viaFirst = await firstClient.ScheduleNewOrchestrationInstanceAsync(nameof(GreetingOrchestrator), "odoo");
        string viaSecond = await secondClient.ScheduleNewOrchestrationInstanceAsync(nameof(GreetingOrchestrator), "nginx");
        OrchestrationMetadata firstDone = await secondClient.WaitForCompletionAsync(viaFirst);
        OrchestrationMetadata secondDone = await firstClient.WaitForCompletionAsync(viaSecond);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, firstDone.RuntimeStatus);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, secondDone.RuntimeStatus);
        output.WriteLine($"with both running: ran on {firstDone.ReadOutputAs<Greeting>()!.WorkerId} and {secondDone.ReadOutputAs<Greeting>()!.WorkerId}");

        var stopping = Stopwatch.StartNew();
        await first.StopAsync();
        output.WriteLine($"first runtime stopped in {stopping.ElapsedMilliseconds} ms");

        // Whatever partition this lands on, only the second runtime is left to run it (after taking over the released leases).
        var takeover = Stopwatch.StartNew();
        string afterStop = await secondClient.ScheduleNewOrchestrationInstanceAsync(nameof(GreetingOrchestrator), "postgresql");
        OrchestrationMetadata survivorDone = await secondClient.WaitForCompletionAsync(afterStop);
        output.WriteLine($"after the first stopped: completed in {takeover.ElapsedMilliseconds} ms");

        Assert.Equal(new Greeting("Hello, postgresql!", "worker-b"), survivorDone.ReadOutputAs<Greeting>());
        await second.StopAsync();
    }

    [Fact]
    public async Task StopAsync_RunningRuntime_IsPrompt()
    {
        using IHost host = TestRuntime.Create(Storage, _taskHub, "worker-a");
        await host.StartAsync();
        DurableTaskClient client = host.Services.GetRequiredService<DurableTaskClient>();
        await client.WaitForCompletionAsync(await client.ScheduleNewOrchestrationInstanceAsync(nameof(GreetingOrchestrator), "odoo"));

        var stopping = Stopwatch.StartNew();
        await host.StopAsync();
        output.WriteLine($"stopped in {stopping.ElapsedMilliseconds} ms");

        Assert.True(stopping.Elapsed < PromptStop, $"stopping took {stopping.Elapsed}, more than {PromptStop}");
    }

    [Fact]
    public async Task ClientCall_BeforeRuntimeStarts_WaitsForTheSidecar()
    {
        using IHost host = TestRuntime.Create(Storage, _taskHub, "worker-a");
        DurableTaskClient client = host.Services.GetRequiredService<DurableTaskClient>();

        Task<OrchestrationMetadata?> early = client.GetInstanceAsync("not-yet-scheduled");
        Assert.False(early.IsCompleted);
        await host.StartAsync();

        Assert.Null(await early.WaitAsync(TimeSpan.FromSeconds(30)));
        await host.StopAsync();
    }
}
