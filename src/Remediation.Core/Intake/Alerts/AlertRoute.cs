namespace Remediation.Intake.Alerts;

/// <summary>What routing made of one alert: the rule and the request it asks for, or why the alert is ignored.</summary>
public sealed record AlertRoute(Alert Alert, AlertRoutingRule? Rule, RemediationRequest? Request, string? IgnoredBecause)
{
    public bool Ignored => Request is null;
}
