namespace Remediation.Runs;

/// <summary>One step of a run as the operator sees it: what, when, how it ended, and what it found.</summary>
public sealed record StepRecord
{
    public required string Name { get; init; }
    public StepStatus Status { get; init; }
    public DateTime StartedUtc { get; init; }
    public DateTime? FinishedUtc { get; init; }

    /// <summary>One line: the outcome in the runbook's words.</summary>
    public string Summary { get; init; } = "";

    /// <summary>Evidence: commands run, their output summaries, probe answers.</summary>
    public IReadOnlyList<string> Details { get; init; } = [];

    public long? DurationMs => FinishedUtc is { } end ? (long)(end - StartedUtc).TotalMilliseconds : null;
}
