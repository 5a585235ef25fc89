namespace Remediation.Inventory;

/// <summary>The init system that controls services on a target.</summary>
public enum ServiceManagerKind
{
    Systemd,
    Supervisor,
}
