namespace Remediation.Intake.Runs;

/// <summary>One run in a list: what it is, where it stands, who asked, and whether it waits for approval.</summary>
public sealed record RunSummary
{
    public required string Id { get; init; }
    public required string Procedure { get; init; }
    public string? Target { get; init; }
    public string? Service { get; init; }
    public required string RuntimeStatus { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset LastUpdatedAt { get; init; }
    public string? RequestedBy { get; init; }

    /// <summary>The step running now, or "finished".</summary>
    public string? Phase { get; init; }

    public string? Outcome { get; init; }

    /// <summary>The plan hash an approver must name, while the run waits for approval.</summary>
    public string? AwaitingApprovalOfPlan { get; init; }

    /// <summary>The run's status URL; the host fills it in, since only it knows its address.</summary>
    public string? StatusQueryGetUri { get; init; }
}
