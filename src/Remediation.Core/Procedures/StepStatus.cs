namespace Remediation.Procedures;

/// <summary>Where one step of a run stands.</summary>
public enum StepStatus
{
    Running,
    Succeeded,
    Failed,
    Skipped,
}
