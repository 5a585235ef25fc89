namespace Remediation.Intake.Escalations;

/// <summary>The last escalation of one problem on a target: its run, when, and how many triggers it has absorbed since.</summary>
public sealed record EscalationEntry(string InstanceId, DateTime AtUtc, int Repeats = 0, DateTime? LastRepeatUtc = null);
