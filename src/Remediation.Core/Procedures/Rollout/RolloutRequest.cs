using Remediation.Schedules;

namespace Remediation.Procedures.Rollout;

/// <summary>One procedure over several targets: from a maintenance window occurrence (with its notice and end) or from the portal.</summary>
public sealed record RolloutRequest
{
    /// <summary>The window's name, or "portal" for a rollout an operator asked for.</summary>
    public required string Name { get; init; }
    public required string Procedure { get; init; }
    public string? Service { get; init; }
    public string? Mode { get; init; }
    public bool Force { get; init; }
    public string Reason { get; init; } = "";
    public string RequestedBy { get; init; } = "";

    /// <summary>In rollout order.</summary>
    public required IReadOnlyList<string> Targets { get; init; }

    public int MaxConcurrency { get; init; } = 1;
    public int MaxFailures { get; init; }
    public int? MaxFailurePercent { get; init; }

    /// <summary>The window occurrence this rollout is (null for a portal rollout): its start, end and deferred runs.</summary>
    public WindowOccurrence? Occurrence { get; init; }

    /// <summary>How long before the runs start the notice goes out; zero sends none.</summary>
    public double NoticeLeadSeconds { get; init; }

    /// <summary>How often a planned run reads the state of the remediation it started.</summary>
    public double PollSeconds { get; init; } = 5;

    /// <summary>Failed targets tolerated before nothing new starts: <see cref="MaxFailurePercent"/> of the targets (rounded down) when set, else <see cref="MaxFailures"/>.</summary>
    public int FailureThreshold => MaxFailurePercent is { } percent ? Targets.Count * percent / 100 : MaxFailures;
}
