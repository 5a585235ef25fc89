using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Remediation.Tests.EndToEnd;
using Remediation.Tests.Fixture;
using Remediation.Tests.Server.DurableRuntime;
using Xunit;
using Xunit.Abstractions;

namespace Remediation.Tests.Server.Recovery;

/// <summary>An activity that runs longer than the work-item visibility timeout is delivered once: DTFx renews its message while it runs.</summary>
/// <remarks>Two runtimes on one hub, so a message that became visible again would be taken by the other one (a single runtime drops its own duplicates and would hide the fault).</remarks>
[Trait("Category", "EndToEnd")]
[Collection(TargetHostCollection.Name)]
public sealed class ActivityLockRenewalEndToEndTests(TargetHostFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan Visibility = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task ActivityLongerThanVisibilityTimeout_TwoWorkersOnTheHub_ExecutesExactlyOnce()
    {
        await using PrivateAzurite azurite = await PrivateAzurite.StartAsync(Path.Combine(fixture.Facts.StateDirectory, "e2e"));
        string hub = TestRuntime.NewTaskHubName();
        var settings = new Dictionary<string, string?>
        {
            ["Durable:WorkItemQueueVisibilityTimeout"] = Visibility.ToString(),
            ["Durable:MaxQueuePollingInterval"] = "00:00:00.250",
        };
        using IHost a = TestRuntime.Create(azurite.ConnectionString, hub, "renew-a", settings);
        using IHost b = TestRuntime.Create(azurite.ConnectionString, hub, "renew-b", settings);
        await a.StartAsync();
        await b.StartAsync();
        DurableTaskClient client = a.Services.GetRequiredService<DurableTaskClient>();
        string key = Guid.NewGuid().ToString("N");
        TimeSpan work = Visibility * 2.5;

        string id = await client.ScheduleNewOrchestrationInstanceAsync(nameof(SlowCountingOrchestrator), new SlowWork(key, work));
        OrchestrationMetadata done = await client.WaitForCompletionAsync(id, work + TimeSpan.FromSeconds(40));
        // A second delivery would start at the latest one visibility timeout after the renewals stopped.
        await Task.Delay(Visibility + TimeSpan.FromSeconds(2));
        output.WriteLine($"{done.RuntimeStatus}, output {done.SerializedOutput}, executions {SlowCountingActivity.ExecutionsOf(key)}");

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(1, done.ReadOutputAs<int>());
        Assert.Equal(1, SlowCountingActivity.ExecutionsOf(key));
        await b.StopAsync();
        await a.StopAsync();
    }
}
