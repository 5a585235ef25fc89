namespace Remediation.Inventory;

/// <summary>The inventory file's root: the targets this deployment may touch.</summary>
public sealed record InventoryDocument
{
    public IReadOnlyList<TargetDefinition> Targets { get; init; } = [];
}
