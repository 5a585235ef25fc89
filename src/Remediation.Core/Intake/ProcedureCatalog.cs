using Remediation.Inventory;
using Remediation.Procedures;
using Remediation.Procedures.ReloadNginx;
using Remediation.Procedures.RestartPostgresql;
using Remediation.Procedures.RestartService;
using Remediation.Procedures.RestartStack;
using Remediation.Procedures.Verify;

namespace Remediation.Intake;

/// <summary>The procedures this build can run, by the name callers use.</summary>
public static class ProcedureCatalog
{
    public static IReadOnlyList<ProcedureDefinition> All { get; } =
    [
        new()
        {
            Name = ProcedureNames.RestartService,
            Orchestrator = nameof(RestartServiceOrchestrator),
            Scope = ProcedureScope.NamedService,
            UseInstead = new Dictionary<ServiceKind, string> { [ServiceKind.Postgresql] = ProcedureNames.RestartPostgresql },
            BuildInput = r => new RestartServiceRequest
            {
                Target = r.Target.Name, Service = r.Service!.Name, Reason = r.Reason, RequestedBy = r.RequestedBy, Force = r.Force, DryRun = r.DryRun, Trigger = r.Trigger, Approval = r.Approval,
            },
        },
        new()
        {
            Name = ProcedureNames.RestartPostgresql,
            Orchestrator = nameof(RestartPostgresqlOrchestrator),
            Scope = ProcedureScope.ServiceOfKind,
            Kind = ServiceKind.Postgresql,
            BuildInput = r => new RestartPostgresqlRequest
            {
                Target = r.Target.Name, Service = r.Service!.Name, Reason = r.Reason, RequestedBy = r.RequestedBy, Force = r.Force, DryRun = r.DryRun, Trigger = r.Trigger, Approval = r.Approval,
                LongQueryThresholdSeconds = r.LongQueryThresholdSeconds ?? RestartPostgresqlRequest.DefaultLongQueryThresholdSeconds,
            },
        },
        new()
        {
            Name = ProcedureNames.ReloadNginx,
            Orchestrator = nameof(ReloadNginxOrchestrator),
            Scope = ProcedureScope.ServiceOfKind,
            Kind = ServiceKind.Nginx,
            Modes = [ReloadNginxRequest.ReloadMode, ReloadNginxRequest.RestartMode],
            BuildInput = r => new ReloadNginxRequest
            {
                Target = r.Target.Name, Service = r.Service!.Name, Reason = r.Reason, RequestedBy = r.RequestedBy, Force = r.Force, DryRun = r.DryRun, Trigger = r.Trigger, Approval = r.Approval,
                Mode = r.Mode ?? ReloadNginxRequest.ReloadMode,
            },
        },
        new()
        {
            Name = ProcedureNames.RestartStack,
            Orchestrator = nameof(RestartStackOrchestrator),
            Scope = ProcedureScope.WholeTarget,
            BuildInput = r => new RestartStackRequest
            {
                Target = r.Target.Name, Reason = r.Reason, RequestedBy = r.RequestedBy, Force = r.Force, DryRun = r.DryRun, Trigger = r.Trigger, Approval = r.Approval,
            },
        },
        new()
        {
            Name = ProcedureNames.Verify,
            Orchestrator = nameof(VerifyOrchestrator),
            Scope = ProcedureScope.WholeTarget,
            ChangesState = false,
            BuildInput = r => new VerifyRequest
            {
                Target = r.Target.Name, Reason = r.Reason, RequestedBy = r.RequestedBy, Force = r.Force, DryRun = r.DryRun, Trigger = r.Trigger, Approval = r.Approval,
            },
        },
    ];

    public static ProcedureDefinition? Find(string name) => All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.Ordinal));

    public static ProcedureDefinition? ByOrchestrator(string orchestrator) => All.FirstOrDefault(p => p.Orchestrator == orchestrator);
}
