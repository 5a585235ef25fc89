namespace Remediation.Schedules.Deferrals;

/// <summary>An automatic run a freeze held back: what it asked for, why it waits, and the window occurrence that will run it.</summary>
public sealed record DeferredRun
{
    /// <summary>The run as alert routing asked for it, with the alert's severity and the source's own key.</summary>
    public required AutomaticRunRequest Request { get; init; }

    public required string Window { get; init; }
    public required DateTime WindowStartUtc { get; init; }
    public required string Freeze { get; init; }
    public required string Decision { get; init; }
    public DateTime DeferredAtUtc { get; init; }

    /// <summary>The target the run waits on.</summary>
    public string Target => Request.Target;

    /// <summary>Same procedure, service and mode on one target: one deferred run, however many alerts asked for it.</summary>
    public string Key => $"{Request.Procedure}.{Request.Service ?? "all"}.{Request.Mode ?? "-"}";
}
