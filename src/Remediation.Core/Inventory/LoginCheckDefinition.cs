namespace Remediation.Inventory;

/// <summary>
/// The Odoo account the product signs in with to verify "Users can log in" (<c>/web/session/authenticate</c>).
/// Its own logins and presence are not users' activity, so the workload pre-check leaves this login out.
/// </summary>
public sealed record LoginCheckDefinition
{
    /// <summary>The Odoo login (res_users.login), e.g. "remediation-check".</summary>
    public string Login { get; init; } = "";

    /// <summary>Absolute path of the file holding the account's password (never the password itself).</summary>
    public string PasswordFile { get; init; } = "";

    /// <summary>The Odoo database to sign in to; defaults to the target's database name.</summary>
    public string? Database { get; init; }
}
