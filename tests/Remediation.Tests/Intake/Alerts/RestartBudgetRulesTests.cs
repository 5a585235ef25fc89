using Remediation.Intake.Budget;
using Remediation.Runs;
using Xunit;

namespace Remediation.Tests.Intake.Alerts;

/// <summary>The budget's arithmetic: the window, the limit for automatic triggers only, and the soak rule.</summary>
[Trait("Category", "Unit")]
public sealed class RestartBudgetRulesTests
{
    private static readonly DateTime Now = new(2026, 12, 2, 6, 0, 0, DateTimeKind.Utc);
    private static readonly RunTrigger Alert = new() { Kind = RunTrigger.Alert };
    private static readonly RestartBudgetOptions Defaults = new();

    [Fact]
    public void Decide_ThreeRestartsInTheHour_RefusesTheFourthAutomaticOne()
    {
        var ledger = new RestartBudgetLedger();
        for (int i = 0; i < 3; i++)
        {
            (BudgetDecision ok, RestartBudgetLedger? updated) = RestartBudgetRules.Decide(ledger, ["odoo"], Alert, $"run{i}", Now.AddMinutes(-50 + (i * 15)), Defaults);
            Assert.True(ok.Allowed);
            ledger = updated!;
        }

        (BudgetDecision fourth, _) = RestartBudgetRules.Decide(ledger, ["odoo"], Alert, "run4", Now, Defaults);

        Assert.False(fourth.Allowed);
        Assert.StartsWith("restart budget exhausted: odoo was restarted 3 time(s) in the last 60 min (limit 3)", fourth.Refusal, StringComparison.Ordinal);
        (BudgetDecision later, _) = RestartBudgetRules.Decide(ledger, ["odoo"], Alert, "run5", Now.AddMinutes(15), Defaults);
        Assert.True(later.Allowed);
    }

    [Fact]
    public void Decide_PortalRequest_IsCountedButNeverRefused()
    {
        var ledger = new RestartBudgetLedger { Restarts = [.. Enumerable.Range(0, 3).Select(i => new BudgetedRestart("odoo", Now.AddMinutes(-i), $"r{i}", RunTrigger.Alert))] };

        (BudgetDecision decision, RestartBudgetLedger? updated) = RestartBudgetRules.Decide(ledger, ["odoo"], new RunTrigger(), "portal", Now, Defaults);

        Assert.True(decision.Allowed);
        Assert.Equal(4, updated!.Restarts.Count);
    }

    [Fact]
    public void Decide_FiresAgainWithinTheSoakWindow_MarksTheEarlierRemediationFailed()
    {
        var ledger = new RestartBudgetLedger { Restarts = [new BudgetedRestart("odoo", Now.AddMinutes(-4), "earlier", RunTrigger.Alert)] };

        (BudgetDecision decision, RestartBudgetLedger? updated) = RestartBudgetRules.Decide(ledger, ["odoo"], Alert, "now", Now, Defaults);

        Assert.True(decision.Allowed);
        Assert.Contains("odoo fired again 240 s after its remediation by run earlier (soak window 10 min): counted as a failed remediation", decision.Notes);
        Assert.True(updated!.Restarts.Single(r => r.InstanceId == "earlier").FailedRemediation);
        (BudgetDecision afterSoak, _) = RestartBudgetRules.Decide(ledger, ["odoo"], Alert, "now", Now.AddMinutes(7), Defaults);
        Assert.Empty(afterSoak.Notes);
    }
}
