namespace Remediation.Procedures.Rollout;

/// <summary>One procedure a planned run started through the intake (the window's own, or a deferred one), and how it ended.</summary>
public sealed record PlannedRemediation(string Procedure, string? Service, string? Mode)
{
    /// <summary>The remediation's instance id (its restart log is under it); null when it was never started.</summary>
    public string? InstanceId { get; init; }

    /// <summary>True for a run a freeze deferred to this window.</summary>
    public bool Deferred { get; init; }

    /// <summary>The run's outcome (Succeeded, Deferred, Failed…), or why it was not started.</summary>
    public string Outcome { get; init; } = "";

    public string Resolution { get; init; } = "";

    public bool Succeeded => Outcome is "Succeeded" or "SucceededWithIssues";
}
