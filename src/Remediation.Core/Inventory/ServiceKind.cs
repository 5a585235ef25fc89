using System.Text.Json.Serialization;

namespace Remediation.Inventory;

/// <summary>What a service is, which decides the runbook checks that apply to it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ServiceKind>))]
public enum ServiceKind
{
    Generic,
    Odoo,
    Postgresql,
    Nginx,
}
