namespace Remediation.Runs.Approvals;

/// <summary>A run's approval as its progress shows it and its record keeps it: why it was needed, the plan it is for, who asked and who decided.</summary>
public sealed record ApprovalRecord
{
    public required ApprovalStatus Status { get; init; }
    public string Why { get; init; } = "";

    /// <summary>The hash of the plan awaiting approval; an approval naming another hash is refused.</summary>
    public string PlanHash { get; init; } = "";

    public string RequestedBy { get; init; } = "";
    public DateTime RequestedUtc { get; init; }
    public DateTime ExpiresUtc { get; init; }
    public string? DecidedBy { get; init; }
    public DateTime? DecidedUtc { get; init; }
    public string? Comment { get; init; }

    /// <summary>Decisions the run refused (wrong plan hash, the requester approving their own run), with the reason.</summary>
    public IReadOnlyList<string> Refused { get; init; } = [];
}
