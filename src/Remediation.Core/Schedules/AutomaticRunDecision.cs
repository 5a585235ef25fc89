namespace Remediation.Schedules;

/// <summary>The calendar's answer for one automatic run: allow, defer until <see cref="Window"/>, or escalate — with the freeze and the reason in words.</summary>
public sealed record AutomaticRunDecision(DecisionKind Kind, string Reason)
{
    /// <summary>With <see cref="DecisionKind.Defer"/>: the window occurrence the run waits for.</summary>
    public WindowOccurrence? Window { get; init; }

    /// <summary>The freeze that held the run back; null with <see cref="DecisionKind.Allow"/>.</summary>
    public string? Freeze { get; init; }

    public static AutomaticRunDecision Allow { get; } = new(DecisionKind.Allow, "no freeze window covers the target");
}
