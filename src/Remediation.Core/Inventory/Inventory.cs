namespace Remediation.Inventory;

/// <summary>The validated set of targets this deployment may touch, looked up by name.</summary>
public sealed class Inventory
{
    private readonly Dictionary<string, TargetDefinition> _targets;

    public Inventory(IEnumerable<TargetDefinition> targets)
    {
        _targets = targets.ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    public IEnumerable<TargetDefinition> Targets => _targets.Values;

    public TargetDefinition? FindTarget(string name) => _targets.GetValueOrDefault(name);

    /// <summary>The target, or an exception an activity can surface: the run names a target this host does not know.</summary>
    public TargetDefinition GetTarget(string name) =>
        FindTarget(name) ?? throw new InventoryException($"target '{name}' is not in this host's inventory");
}
