namespace Remediation.Runs.Plans;

/// <summary>The input of <see cref="Activities.Runs.PlanRunActivity"/>: the procedure, what it acts on, and what its pre-checks found.</summary>
public sealed record PlanRequest
{
    public required string Procedure { get; init; }
    public required string Target { get; init; }

    /// <summary>The service the procedure names; null for whole-target procedures.</summary>
    public string? Service { get; init; }

    /// <summary>reload-nginx: "reload" or "restart".</summary>
    public string? Mode { get; init; }

    public IReadOnlyList<string> Checks { get; init; } = [];
    public IReadOnlyList<string> Blockers { get; init; } = [];
    public bool Force { get; init; }
}
