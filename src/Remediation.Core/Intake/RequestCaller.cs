namespace Remediation.Intake;

/// <summary>
/// Who is calling, as their credential says: a name (API key name, JWT subject) when there is one, the roles it grants,
/// and the procedures it may act on (null: all). Requester and approver names come from here, not from the body, whenever
/// the credential names someone.
/// </summary>
public sealed record RequestCaller(string? Name, ApiRoles Roles, IReadOnlyList<string>? Procedures = null)
{
    /// <summary>A caller no credential names (a loopback server without keys, an Azure Functions function key): every role, names from the body.</summary>
    public static RequestCaller Unnamed { get; } = new(null, ApiRoles.All);

    public bool Has(ApiRoles role) => (Roles & role) == role;

    /// <summary>True when this caller may act on runs of <paramref name="procedure"/>.</summary>
    public bool MayActOn(string procedure) => Procedures is null || Procedures.Contains(procedure, StringComparer.Ordinal);

    /// <summary>The name to record: the credential's when it has one, else what the body said.</summary>
    public string NameOr(string fromBody) => string.IsNullOrWhiteSpace(Name) ? fromBody : Name;
}
