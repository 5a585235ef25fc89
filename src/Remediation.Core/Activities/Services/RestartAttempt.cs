using Remediation.Probes;
using Remediation.ServiceManagers;

namespace Remediation.Activities.Services;

/// <summary>
/// What a graceful restart did: the action chosen after reading state (restart, start, or nothing because an
/// earlier delivery already restarted it), the command's outcome, and the readiness watch around it.
/// </summary>
public sealed record RestartAttempt
{
    /// <summary>"restart", "start", or "none".</summary>
    public required string Action { get; init; }

    /// <summary>True when this delivery changed the target.</summary>
    public bool Changed { get; init; }

    public string Summary { get; init; } = "";
    public string? CommandSummary { get; init; }
    public bool CommandSucceeded { get; init; }
    public bool CommandTimedOut { get; init; }
    public ServiceStatus? Before { get; init; }
    public ServiceStatus? After { get; init; }
    public ReadinessTimeline? Readiness { get; init; }

    /// <summary>
    /// Set when the service was already down as this delivery began although the pre-checks saw it running (an
    /// interrupted earlier delivery stopped or restarted it, or it crashed): the outage started before this watch. Says why when
    /// <see cref="EarlierOutage"/> could not measure it.
    /// </summary>
    public string? OutageBeganEarlier { get; init; }

    /// <summary>That earlier outage, measured from the target's own evidence; null when it could not be (see <see cref="OutageBeganEarlier"/>).</summary>
    public EarlierOutage? EarlierOutage { get; init; }

    /// <summary>The service's own last log lines, quoted when its manager reported a terminal failure.</summary>
    public IReadOnlyList<string> ServiceLog { get; init; } = [];

    /// <summary>True when the service is running and its readiness probe answers.</summary>
    public bool Ready { get; init; }
}
