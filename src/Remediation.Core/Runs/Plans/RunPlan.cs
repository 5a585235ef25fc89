namespace Remediation.Runs.Plans;

/// <summary>
/// What a run would do to its target, built from its pre-checks: the steps in order with the exact commands the
/// service manager would run, the services it touches, the downtime to expect, and what the read-only checks found.
/// A dry run returns it; an approval names it by <see cref="Hash"/>.
/// </summary>
public sealed record RunPlan
{
    public required string Procedure { get; init; }
    public required string Target { get; init; }

    /// <summary>The services the run would stop, restart or reload, in the order it acts on them.</summary>
    public IReadOnlyList<string> Services { get; init; } = [];

    public IReadOnlyList<PlannedStep> Steps { get; init; } = [];

    public required PlannedDowntime ExpectedDowntime { get; init; }

    /// <summary>The read-only checks' results (status of every service, workload, database), as the pre-check step recorded them.</summary>
    public IReadOnlyList<string> Checks { get; init; } = [];

    /// <summary>What the checks found that would defer the run without force.</summary>
    public IReadOnlyList<string> Blockers { get; init; } = [];

    public bool Force { get; init; }

    /// <summary>SHA-256 (hex) of the plan's canonical JSON without this field: what an approver names to approve exactly this plan.</summary>
    public string Hash { get; init; } = "";
}
