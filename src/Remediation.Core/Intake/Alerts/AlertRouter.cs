using Microsoft.Extensions.Options;

namespace Remediation.Intake.Alerts;

/// <summary>
/// Matches an alert against the routing rules (first match wins) and builds the remediation request the rule names. The
/// alert supplies at most the target's name (through <see cref="AlertRoutingRule.TargetLabel"/>), which the intake then
/// validates against the inventory like any request; procedure, service and force come from configuration only.
/// </summary>
public sealed class AlertRouter(IOptions<AlertOptions> options)
{
    public AlertRoute Route(Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        AlertRoutingRule? rule = options.Value.Rules.FirstOrDefault(r => Matches(r, alert));
        if (rule is null)
        {
            return new AlertRoute(alert, null, null, $"no routing rule matches this {alert.Source} alert ({Describe(alert)})");
        }

        if (alert.Informational && !rule.AllowInformational)
        {
            return new AlertRoute(alert, rule, null, $"informational alert ({alert.SignalType ?? "activity log"}): rule '{rule.Name}' does not set allowInformational, so it never triggers a restart");
        }

        string? target = rule.Target;
        if (rule.TargetLabel is { } label)
        {
            if (!alert.Labels.TryGetValue(label, out target) && !alert.CustomProperties.TryGetValue(label, out target))
            {
                return new AlertRoute(alert, rule, null, $"rule '{rule.Name}' takes the target from label '{label}', which the alert does not carry");
            }
        }

        var request = new RemediationRequest
        {
            Target = target,
            Procedure = rule.Procedure,
            Service = rule.Service,
            Mode = rule.Mode,
            Force = rule.Force,
            Reason = Reason(alert, rule),
            RequestedBy = $"{alert.Source} alert",
        };
        return new AlertRoute(alert, rule, request, null);
    }

    private static bool Matches(AlertRoutingRule rule, Alert alert) =>
        (string.IsNullOrEmpty(rule.Source) || string.Equals(rule.Source, alert.Source, StringComparison.OrdinalIgnoreCase))
        && (string.IsNullOrEmpty(rule.AlertRule) || string.Equals(rule.AlertRule, alert.RuleName, StringComparison.Ordinal))
        && (string.IsNullOrEmpty(rule.ResourceId) || alert.ResourceIds.Any(id => string.Equals(id, rule.ResourceId, StringComparison.OrdinalIgnoreCase)))
        && rule.Labels.All(m => alert.Labels.TryGetValue(m.Key, out string? value) && value == m.Value)
        && rule.CustomProperties.All(m => alert.CustomProperties.TryGetValue(m.Key, out string? value) && value == m.Value);

    /// <summary>The run's reason: the alert's words, cut to what a request may carry.</summary>
    private static string Reason(Alert alert, AlertRoutingRule rule)
    {
        string text = $"{alert.Source} alert {alert.RuleName ?? "(unnamed)"} {alert.Status}{(alert.Summary is { Length: > 0 } s ? ": " + s : "")} (rule {rule.Name})";
        text = new string([.. text.Select(c => char.IsControl(c) ? ' ' : c)]);
        return text.Length <= 480 ? text : text[..479] + "…";
    }

    private static string Describe(Alert alert) =>
        $"rule {AlertJson.Printable(alert.RuleName ?? "(none)")}, labels {AlertJson.Printable(string.Join(",", alert.Labels.Take(6).Select(l => $"{l.Key}={l.Value}")))}";
}
