using Remediation.Intake;

namespace Remediation.Server.Api;

/// <summary>The names roles have in key files, JWT role mappings and problems: read, operate, approve.</summary>
public static class ApiRoleNames
{
    public static IReadOnlyList<string> All { get; } = ["read", "operate", "approve"];

    public static ApiRoles? Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "read" => ApiRoles.Read,
        "operate" => ApiRoles.Operate,
        "approve" => ApiRoles.Approve,
        _ => null,
    };

    public static string Of(ApiRoles role) => role switch
    {
        ApiRoles.Read => "read",
        ApiRoles.Operate => "operate",
        ApiRoles.Approve => "approve",
        _ => role.ToString().ToLowerInvariant(),
    };
}
