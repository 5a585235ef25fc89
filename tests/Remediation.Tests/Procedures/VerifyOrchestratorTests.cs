using Microsoft.DurableTask.Client;
using Remediation.Procedures.Verify;
using Remediation.Runs;
using Xunit;

namespace Remediation.Tests.Procedures;

/// <summary>verify (runbook "Post-Restart Verification") with the real activities against a simulated supervisor host.</summary>
[Trait("Category", "Orchestration")]
public sealed class VerifyOrchestratorTests
{
    private const string AllServices = "All services show \"active (running)\" status";

    [Fact]
    public async Task RunAsync_HealthyStack_PassesTheCriticalCriteriaAndChangesNothing()
    {
        await using var target = new SimulatedTarget();
        await using ProcedureHost host = await ProcedureHost.StartAsync(target);

        (OrchestrationMetadata run, RunRecord? record) = await host.RunAsync<VerifyOrchestrator>(Request());

        Assert.True(run.RuntimeStatus == OrchestrationRuntimeStatus.Completed, run.FailureDetails?.ErrorMessage);
        Assert.NotNull(record);
        Assert.Equal(RunOutcome.Succeeded, record.Outcome);
        Assert.Empty(target.Changes);
        SuccessCriterion running = record.SuccessCriteria.Single(c => c.Name == AllServices);
        Assert.Equal(CriterionStatus.Passed, running.Status);
        Assert.Contains($":{target.Odoo.Port} listening", running.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(record.SuccessCriteria, c => c.Critical && c.Status == CriterionStatus.Failed);
        Assert.Equal(CriterionStatus.Passed, record.SuccessCriteria.Single(c => c.Name == "No error messages in logs").Status);
    }

    [Fact]
    public async Task RunAsync_ErrorLinesInRecentLog_FailsNoErrorsCriterionWithTheLine()
    {
        await using var target = new SimulatedTarget();
        target.AppendLog(SimulatedTarget.OdooLog, "2026-11-25 03:00:01,000 7 ERROR odoo_production odoo.sql_db: bad query: SELECT 1/0");
        target.AppendLog(SimulatedTarget.NginxLog, "2026/11/25 03:00:02 [error] 12#12: *5 upstream timed out (110: Connection timed out)");
        await using ProcedureHost host = await ProcedureHost.StartAsync(target);

        (_, RunRecord? record) = await host.RunAsync<VerifyOrchestrator>(Request());

        Assert.NotNull(record);
        Assert.Equal(RunOutcome.SucceededWithIssues, record.Outcome);
        SuccessCriterion logs = record.SuccessCriteria.Single(c => c.Name == "No error messages in logs");
        Assert.Equal(CriterionStatus.Failed, logs.Status);
        Assert.Contains("2 error line(s)", logs.Detail, StringComparison.Ordinal);
        Assert.Contains("bad query: SELECT 1/0", logs.Detail, StringComparison.Ordinal);
        Assert.Contains(record.Issues, i => i.StartsWith("No error messages in logs", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_OdooStopped_FailsAllServicesRunningAndTheRun()
    {
        await using var target = new SimulatedTarget();
        target.Crash(target.Odoo);
        await using ProcedureHost host = await ProcedureHost.StartAsync(target);

        (OrchestrationMetadata run, _) = await host.RunAsync<VerifyOrchestrator>(Request());

        Assert.Equal(OrchestrationRuntimeStatus.Failed, run.RuntimeStatus);
        Assert.Empty(target.Changes);
        RunRecord filed = Assert.Single(host.Artifacts.Filed);
        Assert.Equal(RunOutcome.Failed, filed.Outcome);
        SuccessCriterion running = filed.SuccessCriteria.Single(c => c.Name == AllServices);
        Assert.Equal(CriterionStatus.Failed, running.Status);
        Assert.Contains("odoo EXITED", running.Detail, StringComparison.Ordinal);
        Assert.Contains($"odoo :{target.Odoo.Port} NOT listening", running.Detail, StringComparison.Ordinal);
    }

    private static VerifyRequest Request() => new() { Target = SimulatedTarget.Name, Reason = "after deploy", RequestedBy = "alice" };
}
