namespace Remediation.Inventory;

/// <summary>Where the runbook's SQL checks connect: the Odoo database of a target, read with a monitoring role.</summary>
public sealed record DatabaseEndpoint
{
    public string Host { get; init; } = "";
    public int Port { get; init; } = 5432;
    public string Name { get; init; } = "";
    public string User { get; init; } = "";

    /// <summary>File holding the password (never the password itself: inventories get committed and logged).</summary>
    public string? PasswordFile { get; init; }
}
