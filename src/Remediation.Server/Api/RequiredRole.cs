using Remediation.Intake;

namespace Remediation.Server.Api;

/// <summary>Endpoint metadata: the role a route needs; the credential filter answers 403 when the caller lacks it.</summary>
public sealed record RequiredRole(ApiRoles Role)
{
    public static RequiredRole Read { get; } = new(ApiRoles.Read);
    public static RequiredRole Operate { get; } = new(ApiRoles.Operate);
    public static RequiredRole Approve { get; } = new(ApiRoles.Approve);
}
