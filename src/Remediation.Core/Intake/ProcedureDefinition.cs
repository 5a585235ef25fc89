namespace Remediation.Intake;

/// <summary>A procedure callers may ask for: its name, the orchestrator that runs it, and whether it needs a service.</summary>
public sealed record ProcedureDefinition(string Name, string Orchestrator, bool RequiresService, Func<ValidatedRequest, object> BuildInput);
