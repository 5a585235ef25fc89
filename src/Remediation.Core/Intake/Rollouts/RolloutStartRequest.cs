namespace Remediation.Intake.Rollouts;

/// <summary>What an operator asks for with <c>POST /api/rollouts</c>: one procedure over several targets, with bounded concurrency and an error threshold.</summary>
public sealed record RolloutStartRequest
{
    public string? Procedure { get; init; }
    public string? Service { get; init; }
    public string? Mode { get; init; }
    public IReadOnlyList<string>? Targets { get; init; }
    public int MaxConcurrency { get; init; } = 1;
    public int MaxFailures { get; init; }
    public int? MaxFailurePercent { get; init; }
    public bool Force { get; init; }
    public string? Reason { get; init; }
    public string? RequestedBy { get; init; }
}
