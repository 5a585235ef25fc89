using System.Globalization;
using Remediation.Runs;

namespace Remediation.Intake.Budget;

/// <summary>
/// The budget's arithmetic, apart from storage so it can be tested alone: restarts of each service within the window
/// (every trigger counts), a refusal for an automatic trigger past the limit, and the soak rule.
/// </summary>
public static class RestartBudgetRules
{
    /// <summary>Judges a request that would restart <paramref name="services"/>; returns the decision and the ledger to store (null: nothing to store).</summary>
    public static (BudgetDecision Decision, RestartBudgetLedger? Updated) Decide(
        RestartBudgetLedger ledger, IReadOnlyList<string> services, RunTrigger trigger, string instanceId, DateTime nowUtc, RestartBudgetOptions options)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(trigger);
        ArgumentNullException.ThrowIfNull(options);
        TimeSpan keep = options.Window > options.SoakWindow ? options.Window : options.SoakWindow;
        List<BudgetedRestart> restarts = [.. ledger.Restarts.Where(r => nowUtc - r.AtUtc < keep)];
        var notes = new List<string>();

        if (trigger.IsAutomatic)
        {
            for (int i = 0; i < restarts.Count; i++)
            {
                BudgetedRestart earlier = restarts[i];
                if (services.Contains(earlier.Service) && !earlier.FailedRemediation && nowUtc - earlier.AtUtc < options.SoakWindow && earlier.TriggerKind != RunTrigger.Portal)
                {
                    restarts[i] = earlier with { FailedRemediation = true };
                    notes.Add(string.Create(CultureInfo.InvariantCulture,
                        $"{earlier.Service} fired again {(nowUtc - earlier.AtUtc).TotalSeconds:0} s after its remediation by run {earlier.InstanceId} (soak window {options.SoakWindow.TotalMinutes:0.#} min): counted as a failed remediation"));
                }
            }

            foreach (string service in services)
            {
                int count = restarts.Count(r => r.Service == service && nowUtc - r.AtUtc < options.Window);
                if (count >= options.MaxRestarts)
                {
                    int failed = restarts.Count(r => r.Service == service && r.FailedRemediation);
                    string refusal = string.Create(CultureInfo.InvariantCulture,
                        $"restart budget exhausted: {service} was restarted {count} time(s) in the last {options.Window.TotalMinutes:0.#} min (limit {options.MaxRestarts}){(failed > 0 ? $", {failed} of them failed remediations" : "")}");
                    return (new BudgetDecision(false, refusal, notes), notes.Count > 0 ? new RestartBudgetLedger { Restarts = restarts } : null);
                }
            }
        }

        if (services.Count == 0)
        {
            return (BudgetDecision.Allow(notes), notes.Count > 0 ? new RestartBudgetLedger { Restarts = restarts } : null);
        }

        restarts.AddRange(services.Select(s => new BudgetedRestart(s, nowUtc, instanceId, trigger.Kind)));
        return (BudgetDecision.Allow(notes), new RestartBudgetLedger { Restarts = restarts });
    }
}
