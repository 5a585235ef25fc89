using Remediation.Artifacts;
using Remediation.Inventory;
using Remediation.Runs;
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
        Changes = [new ServiceChange { Service = "odoo", Kind = ServiceKind.Odoo, Action = ServiceAction.Restart, PidBefore = 100, PidAfter = 101, DowntimeSeconds = 1.234, DowntimeMethod = "polled" }],
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
        string md = RestartLogRenderer.Render(Record with
        {
            Outcome = RunOutcome.Deferred,
            Changes = [new ServiceChange { Service = "odoo", Kind = ServiceKind.Odoo, Action = ServiceAction.None, DowntimeMethod = "nothing was restarted" }],
            DowntimeSeconds = null,
            DowntimeMethod = "nothing was restarted",
            Issues = ["Restart deferred: 2 active user(s)"],
        });

        Assert.Contains("**Services Restarted**: None — Odoo restart deferred", md, StringComparison.Ordinal);
        Assert.Contains("**Downtime**: not measured — nothing was restarted", md, StringComparison.Ordinal);
        Assert.Contains("**Issues Encountered**: Restart deferred: 2 active user(s)", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_StackRun_NamesFullStackWithDowntimePerService()
    {
        DateTime t0 = Record.StartedUtc;
        RunRecord stack = Record with
        {
            Procedure = "restart-stack",
            Changes =
            [
                new ServiceChange { Service = "postgresql", Kind = ServiceKind.Postgresql, Action = ServiceAction.Restart, DowntimeSeconds = 3, DownFromUtc = t0.AddSeconds(2), DownUntilUtc = t0.AddSeconds(5) },
                new ServiceChange { Service = "odoo", Kind = ServiceKind.Odoo, Action = ServiceAction.Restart, DowntimeSeconds = 4.5, DownFromUtc = t0.AddSeconds(1), DownUntilUtc = t0.AddSeconds(5.5) },
                new ServiceChange { Service = "web", Kind = ServiceKind.Nginx, Action = ServiceAction.Restart, DowntimeSeconds = 5.2, DownFromUtc = t0.AddSeconds(0.5), DownUntilUtc = t0.AddSeconds(5.7) },
            ],
        };
        (double? total, _) = RunDowntime.Of(stack.Changes);

        string md = RestartLogRenderer.Render(stack with { DowntimeSeconds = total, DowntimeMethod = "union" });

        Assert.Equal(5.2, total);
        Assert.Contains("**Services Restarted**: Full Stack (PostgreSQL / Odoo / Nginx)", md, StringComparison.Ordinal);
        Assert.Contains("per service: PostgreSQL 3.00 s, Odoo 4.50 s, Nginx 5.20 s", md, StringComparison.Ordinal);
        Assert.Contains("| web | Nginx | restart |", md, StringComparison.Ordinal);
    }

    [Fact]
    public void RunDowntime_SeparateOutages_AddsThemWithoutTheGap()
    {
        DateTime t0 = Record.StartedUtc;
        IReadOnlyList<ServiceChange> changes =
        [
            new ServiceChange { Service = "a", Action = ServiceAction.Restart, DowntimeSeconds = 1, DownFromUtc = t0, DownUntilUtc = t0.AddSeconds(1) },
            new ServiceChange { Service = "b", Action = ServiceAction.Reload, DowntimeSeconds = 2, DownFromUtc = t0.AddSeconds(10), DownUntilUtc = t0.AddSeconds(12) },
            new ServiceChange { Service = "c", Action = ServiceAction.None, DowntimeMethod = "not changed" },
        ];

        Assert.Equal(3, RunDowntime.Of(changes).Seconds);
        Assert.Null(RunDowntime.Of([changes[0] with { DowntimeSeconds = null, DowntimeMethod = "crash" }]).Seconds);
    }

    [Fact]
    public void ArtifactNames_SameRun_SameNames()
    {
        Assert.Equal("2026/11/25/restart-service.demo.odoo.20261125T030000000Z-abc123.md", ArtifactNames.RestartLog(Record));
        Assert.Equal(ArtifactNames.RestartLog(Record with { Outcome = RunOutcome.Failed }), ArtifactNames.RestartLog(Record));
    }

    [Fact]
    public void Render_HostileRequestText_IsEscapedNotRendered()
    {
        RunRecord hostile = Record with
        {
            Reason = "<script>alert(1)</script> see [the docs](http://evil.example/x) ![pixel](http://evil.example/p.png) **urgent** _now_ `code`",
            RequestedBy = "mallory](http://evil.example)\n# Heading",
        };

        string md = RestartLogRenderer.Render(hostile);

        string reason = Line(md, "**Reason**: ");
        Assert.Equal(
            "**Reason**: &lt;script&gt;alert(1)&lt;/script&gt; see \\[the docs\\](http://evil.example/x) !\\[pixel\\](http://evil.example/p.png) \\*\\*urgent\\*\\* \\_now\\_ \\`code\\`",
            reason);
        Assert.DoesNotContain("<script>", md, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"(?<!\\)\]\(", md);
        Assert.Contains("**Performed By**: mallory\\](http://evil.example) # Heading via Remediation", md, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("line one\n# injected heading")]
    [InlineData("line one\r\n| a | b |\n|---|---|")]
    [InlineData("line one\u2028- injected item")]
    [InlineData("line one\n\n```\nfenced")]
    [InlineData("line one\n> quoted\n<div>")]
    public void Render_NewlinesInSuppliedText_CannotStartABlock(string text)
    {
        RunRecord hostile = Record with
        {
            Reason = text,
            RequestedBy = text,
            Warnings = [text],
            Issues = [text],
            Resolution = text,
            SuccessCriteria = [new SuccessCriterion(text, CriterionStatus.Failed, text, true)],
            Steps = [Record.Steps[0] with { Name = text, Summary = text }],
            Changes = [Record.Changes[0] with { Service = text }],
        };

        string md = RestartLogRenderer.Render(hostile);

        // Every line must be one the renderer starts itself; supplied text only ever continues one.
        string[] starts = ["## ", "### ", "**", "| ", "|---", "- ", "Not evaluated"];
        foreach (string line in md.ReplaceLineEndings("\n").Split('\n').Where(line => line.Length > 0))
        {
            Assert.True(starts.Any(start => line.StartsWith(start, StringComparison.Ordinal)), $"a line the renderer did not start: {line}");
        }

        Assert.DoesNotContain("\n# ", md, StringComparison.Ordinal);
        Assert.DoesNotContain("```", md, StringComparison.Ordinal);
        Assert.DoesNotContain("<div>", md, StringComparison.Ordinal);
        Assert.Equal(Pipes(Line(RestartLogRenderer.Render(Record), "| 1 | ")), Pipes(Line(md, "| 1 | ")));
    }

    [Fact]
    public void Render_TargetOutputWithPipesAndTags_StaysInItsCell()
    {
        RunRecord fromTarget = Record with
        {
            Steps = [Record.Steps[0] with { Summary = "ERROR: relation \"x\" | <img src=x onerror=alert(1)> | `rm -rf`" }],
        };

        string md = RestartLogRenderer.Render(fromTarget);

        string row = Line(md, "| 1 | ");
        Assert.Equal(7, Pipes(row));
        Assert.Contains("ERROR: relation \"x\" \\| &lt;img src=x onerror=alert(1)&gt; \\| \\`rm -rf\\`", row, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("run-1", "`run-1`")]
    [InlineData("a`b", "``a`b``")]
    [InlineData("`x`", "`` `x` ``")]
    public void Code_BacktickInside_FenceOutlastsIt(string text, string expected)
    {
        Assert.Equal(expected, MarkdownText.Code(text));
    }

    /// <summary>The row's unescaped pipes: one more than its cells.</summary>
    private static int Pipes(string row) => row.Where((c, i) => c == '|' && (i == 0 || row[i - 1] != '\\')).Count();

    private static string Line(string md, string prefix) =>
        md.ReplaceLineEndings("\n").Split('\n').Single(line => line.StartsWith(prefix, StringComparison.Ordinal));
}
