namespace Remediation.Inventory;

/// <summary>The inventory file is missing, malformed or invalid; the message names the file, each field and its problem.</summary>
public sealed class InventoryException : Exception
{
    public InventoryException(string message)
        : base(message)
    {
    }

    public InventoryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public InventoryException()
    {
    }

    public IReadOnlyList<string> Problems { get; init; } = [];
}
