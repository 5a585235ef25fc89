namespace Remediation.Intake.Escalations;

/// <summary>
/// The answer for one would-be escalation: a new one under <see cref="InstanceId"/> (schedule it), or a repeat of the
/// escalation <see cref="InstanceId"/> filed at <see cref="EscalatedAtUtc"/> (schedule nothing, say so).
/// </summary>
public sealed record EscalationClaim(bool IsNew, string InstanceId, DateTime EscalatedAtUtc, int Repeats, DateTime RepeatsUntilUtc);
