namespace Remediation.Runs;

/// <summary>A run's live progress, published as the orchestration's custom status after every step.</summary>
public sealed record RunProgress
{
    public required string Procedure { get; init; }
    public required string Target { get; init; }
    public IReadOnlyList<string> Services { get; init; } = [];

    /// <summary>The step running now, or "finished".</summary>
    public string Phase { get; init; } = "";

    public IReadOnlyList<StepRecord> Steps { get; init; } = [];
    public RunOutcome? Outcome { get; init; }
    public string? Resolution { get; init; }
    public string? RestartLog { get; init; }
    public string? Record { get; init; }
}
