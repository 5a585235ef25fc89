using Remediation.Inventory;

namespace Remediation.Intake;

/// <summary>A request whose target and service were found in the inventory and whose text fields passed validation.</summary>
public sealed record ValidatedRequest(ProcedureDefinition Procedure, TargetDefinition Target, ServiceDefinition? Service, string Reason, string RequestedBy, bool Force, bool DryRun);
