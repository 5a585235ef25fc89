namespace Remediation.Intake.Alerts;

/// <summary>
/// The one place that decides whether a routed, valid, firing alert may act now — the seam for freeze windows (defer to
/// the next maintenance window, or escalate when critical) and any other policy on automatic remediation. Called after
/// routing and validation, before the target's lock is taken; nothing has happened yet when it answers.
/// </summary>
public interface IAlertPolicy
{
    Task<AlertPolicyDecision> DecideAsync(AlertRoute route, ValidatedRequest request, CancellationToken cancellationToken);
}

/// <summary>Allow, defer (recorded with the reason; the policy owns when it runs) or escalate (to people, no run).</summary>
public sealed record AlertPolicyDecision(AlertPolicyAction Action, string? Reason = null)
{
    public static AlertPolicyDecision Allow { get; } = new(AlertPolicyAction.Allow);
}

/// <summary>What <see cref="IAlertPolicy"/> decided.</summary>
public enum AlertPolicyAction
{
    Allow,
    Defer,
    Escalate,
}
