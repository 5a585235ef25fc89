using System.Security.Claims;
using Remediation.Intake;

namespace Remediation.Server.Api;

/// <summary>Turns a validated token's claims into a caller: its subject as the name, its app roles (<c>roles</c>) and delegated scopes (<c>scp</c>) mapped to read / operate / approve.</summary>
public static class JwtCallers
{
    /// <summary>The caller, or null when the token names nobody (no <see cref="ApiJwtOptions.NameClaim"/>).</summary>
    public static RequestCaller? From(ClaimsPrincipal principal, ApiJwtOptions options)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(options);
        string? name = principal.FindFirst(options.NameClaim)?.Value;
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        // Entra puts app roles in one "roles" claim per role and delegated scopes space-separated in "scp".
        HashSet<string> granted = [
            .. principal.FindAll("roles").Select(c => c.Value),
            .. principal.FindAll("scp").SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))];
        ApiRoles roles = ApiRoles.None;
        if (Grants(granted, options.ReadRoles, "Remediation.Read"))
        {
            roles |= ApiRoles.Read;
        }

        if (Grants(granted, options.OperateRoles, "Remediation.Operate"))
        {
            roles |= ApiRoles.Operate;
        }

        if (Grants(granted, options.ApproveRoles, "Remediation.Approve"))
        {
            roles |= ApiRoles.Approve;
        }

        return new RequestCaller(name, roles);
    }

    private static bool Grants(HashSet<string> granted, string[]? configured, string fallback) =>
        (configured is { Length: > 0 } ? configured : [fallback]).Any(granted.Contains);
}
