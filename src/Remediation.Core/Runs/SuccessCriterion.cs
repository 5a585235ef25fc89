namespace Remediation.Runs;

/// <summary>One line of the runbook's success-criteria checklist with the evidence behind its verdict.</summary>
public sealed record SuccessCriterion(string Name, CriterionStatus Status, string Detail, bool Critical)
{
    public bool Passed => Status == CriterionStatus.Passed;
}
