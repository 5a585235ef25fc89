namespace Remediation.Schedules.Notices;

/// <summary>
/// The planned-maintenance notice users get before a window's runs start (runbook: "Notify users of impending restart").
/// Its id is the rollout's instance id: a receiver can drop a repeated delivery by it.
/// </summary>
public sealed record MaintenanceNotice(
    string Id,
    string Window,
    IReadOnlyList<string> Targets,
    string Procedure,
    string? Service,
    DateTime StartsAtUtc,
    DateTime? EndsAtUtc,
    string Reason)
{
    public const string Kind = "planned-maintenance";

    /// <summary>One line for people.</summary>
    public string Text => EndsAtUtc is { } end
        ? FormattableString.Invariant($"Planned maintenance '{Window}': {Procedure}{(Service is null ? "" : " " + Service)} on {string.Join(", ", Targets)} between {StartsAtUtc:yyyy-MM-dd HH:mm} and {end:HH:mm} UTC. Expect a brief interruption.")
        : FormattableString.Invariant($"Planned maintenance '{Window}': {Procedure}{(Service is null ? "" : " " + Service)} on {string.Join(", ", Targets)} from {StartsAtUtc:yyyy-MM-dd HH:mm} UTC. Expect a brief interruption.");
}
