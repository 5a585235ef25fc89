namespace Remediation.Intake.Budget;

/// <summary>One target's recent restarts, per service: the state the budget keeps in storage (one blob per target).</summary>
public sealed record RestartBudgetLedger
{
    public IReadOnlyList<BudgetedRestart> Restarts { get; init; } = [];
}

/// <summary>A restart the budget counted: which service, when, by which run and trigger, and whether a new alert within the soak window marked it failed.</summary>
public sealed record BudgetedRestart(string Service, DateTime AtUtc, string InstanceId, string TriggerKind, bool FailedRemediation = false);
