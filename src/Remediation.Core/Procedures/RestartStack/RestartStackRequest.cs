namespace Remediation.Procedures.RestartStack;

/// <summary>The input of a restart-stack run (runbook §4), as accepted by the intake.</summary>
public sealed record RestartStackRequest : ProcedureRequest;
