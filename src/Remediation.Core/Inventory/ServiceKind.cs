namespace Remediation.Inventory;

/// <summary>What a service is, which decides the runbook checks that apply to it.</summary>
public enum ServiceKind
{
    Generic,
    Odoo,
    Postgresql,
    Nginx,
}
