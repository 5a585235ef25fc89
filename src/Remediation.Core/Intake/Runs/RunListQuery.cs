namespace Remediation.Intake.Runs;

/// <summary>The list route's query string, as given (validated by <see cref="RemediationRuns.ListAsync"/>).</summary>
public sealed record RunListQuery
{
    public string? Target { get; init; }
    public string? Procedure { get; init; }

    /// <summary>Comma-separated runtime states: running, pending, completed, failed, terminated, suspended.</summary>
    public string? State { get; init; }

    /// <summary>ISO 8601 time: only runs created at or after it.</summary>
    public string? Since { get; init; }

    public string? PageSize { get; init; }
    public string? ContinuationToken { get; init; }
}
