using Remediation.Procedures;
using Remediation.Procedures.RestartService;

namespace Remediation.Intake;

/// <summary>The procedures this build can run, by the name callers use.</summary>
public static class ProcedureCatalog
{
    public static IReadOnlyList<ProcedureDefinition> All { get; } =
    [
        new(ProcedureNames.RestartService, nameof(RestartServiceOrchestrator), RequiresService: true, request => new RestartServiceRequest
        {
            Target = request.Target.Name,
            Service = request.Service!.Name,
            Reason = request.Reason,
            RequestedBy = request.RequestedBy,
            Force = request.Force,
            DryRun = request.DryRun,
        }),
    ];

    public static ProcedureDefinition? Find(string name) => All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.Ordinal));
}
