using Remediation.Artifacts;
using Remediation.Procedures;
using Xunit;

namespace Remediation.Tests.Artifacts;

[Trait("Category", "Unit")]
public sealed class RestartLogRendererTests
{
    private static readonly RunRecord Record = new()
    {
        InstanceId = "restart-service.demo.odoo.20261125T030000000Z-abc123",
        Procedure = "restart-service",
        Target = "demo",
        Services = ["odoo"],
        Reason = "Unresponsive service",
        RequestedBy = "alice",
        StartedUtc = new DateTime(2026, 11, 25, 3, 0, 0, DateTimeKind.Utc),
        FinishedUtc = new DateTime(2026, 11, 25, 3, 0, 4, DateTimeKind.Utc),
        Outcome = RunOutcome.Succeeded,
        Resolution = "Successful",
        DowntimeSeconds = 1.234,
        DowntimeMethod = "http://127.0.0.1:8069/web/health polled every 50 ms during the restart",
        FollowUpActions = ["None required"],
        SuccessCriteria = [new SuccessCriterion("HTTP response code 200", CriterionStatus.Passed, "200 OK in 3 ms", true), new SuccessCriterion("No spike in error rates", CriterionStatus.NotEvaluated, "monitor", false)],
        Steps = [new StepRecord { Name = "Graceful restart", Status = StepStatus.Succeeded, StartedUtc = new DateTime(2026, 11, 25, 3, 0, 1, DateTimeKind.Utc), FinishedUtc = new DateTime(2026, 11, 25, 3, 0, 2, 300, DateTimeKind.Utc), Summary = "a | b" }],
    };

    [Fact]
    public void Render_SuccessfulRun_FillsEveryTemplateField()
    {
        string md = RestartLogRenderer.Render(Record);

        Assert.StartsWith("## Service Restart Log", md, StringComparison.Ordinal);
        Assert.Contains("**Date**: 2026-11-25 03:00 UTC", md, StringComparison.Ordinal);
        Assert.Contains("**Performed By**: @alice via Remediation", md, StringComparison.Ordinal);
        Assert.Contains("**Reason**: Unresponsive service", md, StringComparison.Ordinal);
        Assert.Contains("**Services Restarted**: Odoo", md, StringComparison.Ordinal);
        Assert.Contains("**Downtime**: 1.23 seconds (http://127.0.0.1:8069/web/health polled every 50 ms", md, StringComparison.Ordinal);
        Assert.Contains("**Issues Encountered**: None", md, StringComparison.Ordinal);
        Assert.Contains("**Resolution**: Successful", md, StringComparison.Ordinal);
        Assert.Contains("**Follow-up Actions**: None required", md, StringComparison.Ordinal);
        Assert.Contains("- [x] HTTP response code 200", md, StringComparison.Ordinal);
        Assert.Contains("- [ ] No spike in error rates (not evaluated)", md, StringComparison.Ordinal);
        Assert.Contains("| 1 | Graceful restart | succeeded | 03:00:01.000 | 1300 ms | a \\| b |", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_DeferredRun_SaysNothingWasRestarted()
    {
        string md = RestartLogRenderer.Render(Record with { Outcome = RunOutcome.Deferred, DowntimeSeconds = null, DowntimeMethod = "nothing was restarted", Issues = ["Restart deferred: 2 active user(s)"] });

        Assert.Contains("**Services Restarted**: None — Odoo restart deferred", md, StringComparison.Ordinal);
        Assert.Contains("**Downtime**: not measured — nothing was restarted", md, StringComparison.Ordinal);
        Assert.Contains("**Issues Encountered**: Restart deferred: 2 active user(s)", md, StringComparison.Ordinal);
    }

    [Fact]
    public void ArtifactNames_SameRun_SameNames()
    {
        Assert.Equal("2026/11/25/restart-service.demo.odoo.20261125T030000000Z-abc123.md", ArtifactNames.RestartLog(Record));
        Assert.Equal(ArtifactNames.RestartLog(Record with { Outcome = RunOutcome.Failed }), ArtifactNames.RestartLog(Record));
    }
}
