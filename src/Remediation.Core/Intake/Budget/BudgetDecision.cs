namespace Remediation.Intake.Budget;

/// <summary>The budget's answer for one request: allowed (and counted) or refused with the reason; notes name failed remediations found on the way.</summary>
public sealed record BudgetDecision(bool Allowed, string? Refusal, IReadOnlyList<string> Notes)
{
    public static BudgetDecision Allow(IReadOnlyList<string> notes) => new(true, null, notes);
}
