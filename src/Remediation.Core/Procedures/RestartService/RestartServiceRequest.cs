namespace Remediation.Procedures.RestartService;

/// <summary>The input of a restart-service run, as accepted by the intake.</summary>
public sealed record RestartServiceRequest : ProcedureRequest
{
    /// <summary>The service of the target to restart; PostgreSQL has a procedure of its own.</summary>
    public required string Service { get; init; }
}
