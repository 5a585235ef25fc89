using Remediation.Schedules;
using Remediation.Schedules.Deferrals;

namespace Remediation.Intake.Alerts;

/// <summary>
/// Freeze windows decide for alerts: outside a freeze an alert acts now; in one it is recorded and deferred to the
/// target's next maintenance window, or escalated when it is critical (the freeze gate's rules, configured under
/// "Remediation:Schedules").
/// </summary>
public sealed class FreezeWindowAlertPolicy : IAlertPolicy
{
    private readonly AutomaticRunGate _gate;

    public FreezeWindowAlertPolicy(AutomaticRunGate gate) => _gate = gate;

    public async Task<AlertPolicyDecision> DecideAsync(AlertRoute route, ValidatedRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(route);
        ArgumentNullException.ThrowIfNull(request);
        AutomaticRunDecision decision = await _gate.AdmitAsync(
            new AutomaticRunRequest
            {
                Target = request.Target.Name,
                Procedure = request.Procedure.Name,
                Service = request.Service?.Name,
                Mode = request.Mode,
                Reason = request.Reason,
                RequestedBy = request.RequestedBy,
                Severity = route.Alert.Severity,
                SourceFingerprint = route.Alert.SourceFingerprint ?? route.Alert.Key,
            },
            cancellationToken);
        return decision.Kind switch
        {
            DecisionKind.Defer => new AlertPolicyDecision(AlertPolicyAction.Defer, decision.Reason),
            DecisionKind.Escalate => new AlertPolicyDecision(AlertPolicyAction.Escalate, decision.Reason),
            _ => AlertPolicyDecision.Allow,
        };
    }
}
