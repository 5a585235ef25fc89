using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging.Abstractions;
using Remediation.Intake;
using Remediation.Intake.Runs;
using Remediation.Procedures.RestartService;
using Remediation.Procedures.Verify;
using Xunit;

namespace Remediation.Tests.Procedures;

/// <summary>The list route's filters and paging, on the in-memory task hub through the same DurableTaskClient API the hosts use.</summary>
[Trait("Category", "Orchestration")]
public sealed class RunListTests
{
    [Fact]
    public async Task ListAsync_FiltersByProcedureTargetStateSince_AndPagesWithAContinuationToken()
    {
        await using var target = new SimulatedTarget();
        await using ProcedureHost host = await ProcedureHost.StartAsync(target);
        var runs = new RemediationRuns(
            host.Client,
            new RemediationIntake(host.Client, target.Inventory, TimeProvider.System, NullLogger<RemediationIntake>.Instance, host.Artifacts, host.Locks),
            NullLogger<RemediationRuns>.Instance);
        List<string> ids = [];
        for (int i = 0; i < 3; i++)
        {
            string id = $"restart-service.{SimulatedTarget.Name}.odoo.{i}";
            await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(RestartServiceOrchestrator),
                new RestartServiceRequest { Target = SimulatedTarget.Name, Service = "odoo", DryRun = true, RequestedBy = "alice" }, new StartOrchestrationOptions(id));
            ids.Add(id);
        }

        await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(VerifyOrchestrator),
            new VerifyRequest { Target = SimulatedTarget.Name, RequestedBy = "bob" }, new StartOrchestrationOptions($"verify.{SimulatedTarget.Name}.all.0"));
        foreach (string id in ids)
        {
            await host.Client.WaitForInstanceCompletionAsync(id);
        }

        RunListPage all = Page(await runs.ListAsync(new RunListQuery(), CancellationToken.None));
        Assert.Equal(4, all.Items.Count);

        RunListPage restarts = Page(await runs.ListAsync(new RunListQuery { Procedure = "restart-service", Target = SimulatedTarget.Name }, CancellationToken.None));
        Assert.Equal(ids.Order(), restarts.Items.Select(r => r.Id).Order());
        Assert.All(restarts.Items, r => Assert.Equal("alice", r.RequestedBy));
        Assert.All(restarts.Items, r => Assert.Equal("DryRun", r.Outcome));

        RunListPage first = Page(await runs.ListAsync(new RunListQuery { Procedure = "restart-service", PageSize = "2" }, CancellationToken.None));
        Assert.Equal(2, first.Items.Count);
        Assert.NotNull(first.ContinuationToken);
        RunListPage second = Page(await runs.ListAsync(new RunListQuery { Procedure = "restart-service", PageSize = "2", ContinuationToken = first.ContinuationToken }, CancellationToken.None));
        Assert.Equal(ids.Order(), first.Items.Concat(second.Items).Select(r => r.Id).Order());

        Assert.Equal(3, Page(await runs.ListAsync(new RunListQuery { Target = SimulatedTarget.Name, State = "completed", Procedure = "restart-service" }, CancellationToken.None)).Items.Count);
        Assert.Empty(Page(await runs.ListAsync(new RunListQuery { Target = "elsewhere" }, CancellationToken.None)).Items);
        Assert.Empty(Page(await runs.ListAsync(new RunListQuery { Since = DateTimeOffset.UtcNow.AddMinutes(5).ToString("O") }, CancellationToken.None)).Items);
        Assert.Equal(4, Page(await runs.ListAsync(new RunListQuery { Since = DateTimeOffset.UtcNow.AddMinutes(-5).ToString("O") }, CancellationToken.None)).Items.Count);

        Assert.Equal(422, (await runs.ListAsync(new RunListQuery { State = "sleeping" }, CancellationToken.None)).Status);
        Assert.Equal(422, (await runs.ListAsync(new RunListQuery { PageSize = "101" }, CancellationToken.None)).Status);
        Assert.Equal(422, (await runs.ListAsync(new RunListQuery { Procedure = "reboot" }, CancellationToken.None)).Status);
        Assert.Equal(400, (await runs.ListAsync(new RunListQuery { Since = "yesterday" }, CancellationToken.None)).Status);
    }

    private static RunListPage Page(RunOperationResult result)
    {
        Assert.Equal(200, result.Status);
        return Assert.IsType<RunListPage>(result.Body);
    }
}
