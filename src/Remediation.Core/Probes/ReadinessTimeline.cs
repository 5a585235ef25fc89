namespace Remediation.Probes;

/// <summary>
/// What a readiness watch saw: whether the service ended up ready, when it first stopped answering and when it
/// answered again (the measured downtime), and the last probe's answer.
/// </summary>
public sealed record ReadinessTimeline
{
    public bool Ready { get; init; }

    /// <summary>What was polled: a URL, "host:port", or "SQL SELECT 1".</summary>
    public string Probe { get; init; } = "";
    public DateTime WatchStartedUtc { get; init; }
    public DateTime? FirstFailureUtc { get; init; }
    /// <summary>The first answer after the last failed probe (or the first probe when none failed).</summary>
    public DateTime? ReadyUtc { get; init; }
    public int Probes { get; init; }
    public int IntervalMs { get; init; }
    public ProbeResult? LastProbe { get; init; }

    /// <summary>Downtime seen by this watch; zero when every probe succeeded, null when the service never recovered.</summary>
    public TimeSpan? Downtime => FirstFailureUtc is not { } down ? TimeSpan.Zero : ReadyUtc is { } up ? up - down : null;
}
