using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Remediation.Intake;
using Remediation.Inventory;
using Remediation.Procedures.RestartService;
using Xunit;

namespace Remediation.Tests.Intake;

[Trait("Category", "Orchestration")]
public sealed class RemediationIntakeTests
{
    private static readonly Remediation.Inventory.Inventory Inventory = new(
    [
        new TargetDefinition
        {
            Name = "demo",
            Services = [new ServiceDefinition { Name = "odoo", Kind = ServiceKind.Odoo }, new ServiceDefinition { Name = "postgresql" }],
        },
    ]);

    [Theory]
    [InlineData("{\"target\": \"demo\", ", 400, "not valid JSON")]
    [InlineData("", 400, "body is empty")]
    [InlineData("[1,2]", 400, "not valid JSON")]
    [InlineData("{\"procedure\":\"restart-service\",\"service\":\"odoo\"}", 400, "'target' is required")]
    [InlineData("{\"target\":\"demo\",\"service\":\"odoo\"}", 400, "'procedure' is required")]
    [InlineData("{\"target\":\"demo\",\"procedure\":\"restart-service\"}", 400, "'service' is required")]
    [InlineData("{\"target\":\"demo\",\"procedure\":\"restart-service\",\"service\":\"odoo\",\"forse\":true}", 400, "forse")]
    [InlineData("{\"target\":\"demo\",\"procedure\":\"restart-service\",\"service\":\"odoo\",\"force\":\"yes\"}", 400, "not valid JSON")]
    [InlineData("{\"target\":\"prod-9\",\"procedure\":\"restart-service\",\"service\":\"odoo\"}", 404, "Target 'prod-9' is not in the inventory")]
    [InlineData("{\"target\":\"demo\",\"procedure\":\"restart-service\",\"service\":\"redis\"}", 404, "Service 'redis' is not defined for target 'demo'")]
    [InlineData("{\"target\":\"demo\",\"procedure\":\"reboot-everything\",\"service\":\"odoo\"}", 422, "'reboot-everything' is not a known procedure")]
    [InlineData("{\"target\":\"demo\",\"procedure\":\"restart-service\",\"service\":\"odoo; rm -rf /\"}", 422, "is not a valid service name")]
    [InlineData("{\"target\":\"demo$(id)\",\"procedure\":\"restart-service\",\"service\":\"odoo\"}", 422, "is not a valid name")]
    public async Task StartAsync_BadRequest_RejectsWithStatusAndSchedulesNothing(string body, int status, string message)
    {
        await using DurableTaskTestHost host = await DurableTaskTestHost.StartAsync(r => r.AddOrchestrator<RestartServiceOrchestrator>());
        var intake = new RemediationIntake(host.Client, Inventory, TimeProvider.System, NullLogger<RemediationIntake>.Instance, null!, new InMemoryTargetLocks());

        IntakeResult result = await intake.StartAsync(body, CancellationToken.None);

        Assert.False(result.Accepted);
        Assert.Equal(status, result.ErrorStatus);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        await foreach (OrchestrationMetadata instance in host.Client.GetAllInstancesAsync(new OrchestrationQuery()))
        {
            Assert.Fail($"nothing may be scheduled for a rejected request, but {instance.InstanceId} was");
        }
    }

    [Fact]
    public async Task StartAsync_SameRequestTwiceWhileRunning_SecondJoinsTheFirstAndAnotherIsRefused()
    {
        // Stands in for the real orchestrator: stays running until told otherwise.
        await using DurableTaskTestHost host = await DurableTaskTestHost.StartAsync(r =>
            r.AddOrchestratorFunc<RestartServiceRequest, string>(nameof(RestartServiceOrchestrator), (ctx, _) => ctx.WaitForExternalEvent<string>("finish")));
        var intake = new RemediationIntake(host.Client, Inventory, TimeProvider.System, NullLogger<RemediationIntake>.Instance, null!, new InMemoryTargetLocks());
        const string body = "{\"target\":\"demo\",\"procedure\":\"restart-service\",\"service\":\"odoo\",\"reason\":\"alert\",\"requestedBy\":\"alertmanager\"}";

        IntakeResult first = await intake.StartAsync(body, CancellationToken.None);
        IntakeResult second = await intake.StartAsync(body, CancellationToken.None);
        IntakeResult other = await intake.StartAsync(body.Replace("odoo", "postgresql", StringComparison.Ordinal), CancellationToken.None);

        Assert.True(first.Accepted);
        Assert.False(first.JoinedExisting);
        Assert.StartsWith("restart-service.demo.odoo.", first.InstanceId, StringComparison.Ordinal);
        Assert.True(second.JoinedExisting);
        Assert.Equal(first.InstanceId, second.InstanceId);
        Assert.False(other.Accepted);
        Assert.Equal(409, other.ErrorStatus);
        Assert.Equal(first.InstanceId, other.RunningInstanceId);
        Assert.Contains(first.InstanceId!, other.Error, StringComparison.Ordinal);
        RemediationView? view = await intake.GetAsync(first.InstanceId!, CancellationToken.None);
        Assert.Equal("restart-service", view!.Procedure);
        Assert.Equal("alertmanager", view.Input!["requestedBy"]!.GetValue<string>());

        await host.Client.RaiseEventAsync(first.InstanceId!, "finish", "done");
        await host.Client.WaitForInstanceCompletionAsync(first.InstanceId!);
        IntakeResult third = await intake.StartAsync(body, CancellationToken.None);
        Assert.False(third.JoinedExisting);
        Assert.NotEqual(first.InstanceId, third.InstanceId);
    }

    [Fact]
    public async Task GetAsync_UnknownOrMalformedId_ReturnsNull()
    {
        await using DurableTaskTestHost host = await DurableTaskTestHost.StartAsync(_ => { });
        var intake = new RemediationIntake(host.Client, Inventory, TimeProvider.System, NullLogger<RemediationIntake>.Instance, null!, new InMemoryTargetLocks());

        Assert.Null(await intake.GetAsync("restart-service.demo.odoo.nope", CancellationToken.None));
        Assert.Null(await intake.GetAsync("../../etc/passwd", CancellationToken.None));
    }

    [Fact]
    public void Validate_GoodRequest_FillsDefaults()
    {
        var intake = new RemediationIntake(null!, Inventory, TimeProvider.System, NullLogger<RemediationIntake>.Instance, null!, new InMemoryTargetLocks());

        (ValidatedRequest? request, IntakeResult? rejection) = intake.Validate("{\"target\":\"demo\",\"procedure\":\"restart-service\",\"service\":\"odoo\"}");

        Assert.Null(rejection);
        Assert.Equal("Not given", request!.Reason);
        Assert.Equal("unknown", request.RequestedBy);
        Assert.False(request.Force);
    }
}
