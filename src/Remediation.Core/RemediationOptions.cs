namespace Remediation;

/// <summary>Where this host's inventory lives (section "Remediation").</summary>
public sealed class RemediationOptions
{
    public const string Section = "Remediation";

    /// <summary>Path of the inventory JSON file that lists targets and services.</summary>
    public string InventoryFile { get; set; } = "inventory.json";
}
