using Remediation.Inventory;

namespace Remediation.Activities.Services;

/// <summary>One service of a target as an orchestrator needs to know it (it cannot read the inventory): name, kind, what it depends on.</summary>
public sealed record StackService(string Name, ServiceKind Kind, IReadOnlyList<string> DependsOn);
