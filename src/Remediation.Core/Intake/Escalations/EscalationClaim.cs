namespace Remediation.Intake.Escalations;

/// <summary>
/// The answer for one would-be escalation: a new one under <see cref="InstanceId"/> (schedule it), or a repeat of the
/// escalation <see cref="InstanceId"/> filed at <see cref="EscalatedAtUtc"/> (schedule nothing, say so).
/// </summary>
public sealed record EscalationClaim(bool IsNew, string InstanceId, DateTime EscalatedAtUtc, int Repeats, DateTime RepeatsUntilUtc)
{
    /// <summary>For a new escalation: the one before it, when it absorbed repeats (what happened while nobody was paged).</summary>
    public EscalationEntry? Previous { get; init; }
}
