namespace Remediation.Schedules.Deferrals;

/// <summary>An automatic run a freeze held back: what it asked for, why it waits, and the window occurrence that will run it.</summary>
public sealed record DeferredRun
{
    public required string Target { get; init; }
    public required string Procedure { get; init; }
    public string? Service { get; init; }
    public string? Mode { get; init; }
    public string Reason { get; init; } = "";
    public string RequestedBy { get; init; } = "";

    /// <summary>The alert's severity as its source gave it.</summary>
    public string? Severity { get; init; }

    /// <summary>The source's own key (Alertmanager/Grafana fingerprint, Azure alertId), kept beside ours.</summary>
    public string? SourceFingerprint { get; init; }

    public required string Window { get; init; }
    public required DateTime WindowStartUtc { get; init; }
    public required string Freeze { get; init; }
    public required string Decision { get; init; }
    public DateTime DeferredAtUtc { get; init; }

    /// <summary>Same procedure, service and mode on one target: one deferred run, however many alerts asked for it.</summary>
    public string Key => $"{Procedure}.{Service ?? "all"}.{Mode ?? "-"}";
}
