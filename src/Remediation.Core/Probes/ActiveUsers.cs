namespace Remediation.Probes;

/// <summary>
/// The runbook's "Check active users", from what Odoo itself records: people connected (bus_presence polled within
/// the window) and recent logins (res_users_log rows, one per login, with the user in create_uid), reported apart.
/// </summary>
/// <param name="Connected">Distinct users whose bus_presence.last_poll is inside the window; null without bus_presence.</param>
/// <param name="LoggedIn">Distinct users with a login inside the window.</param>
/// <param name="Total">Distinct users in either set.</param>
public sealed record ActiveUsers(int? Connected, int LoggedIn, int Total)
{
    /// <summary>Nobody active (the check ran and found no one).</summary>
    public static ActiveUsers None { get; } = new(0, 0, 0);

    /// <summary>"2 connected, 1 logged in" (or "presence not recorded, 1 logged in").</summary>
    public string Describe() =>
        $"{(Connected is { } connected ? $"{connected} connected" : "presence not recorded (no bus_presence)")}, {LoggedIn} logged in";
}
