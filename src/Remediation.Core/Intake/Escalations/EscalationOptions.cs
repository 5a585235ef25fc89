namespace Remediation.Intake.Escalations;

/// <summary>Escalation settings (<c>Escalations</c>): how often the same problem may page people again.</summary>
public sealed class EscalationOptions
{
    public const string Section = "Escalations";

    /// <summary>
    /// Within this time of an escalation, the same procedure on the same target and service escalates no more: later
    /// triggers are counted on it (an alert repeating every minute past the budget is one page, not sixty).
    /// </summary>
    public TimeSpan RepeatAfter { get; set; } = TimeSpan.FromHours(1);
}
