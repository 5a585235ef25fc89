using Remediation.Runs.Approvals;
using Remediation.Runs.Plans;

namespace Remediation.Runs;

/// <summary>
/// Everything a run did and found, whatever the procedure: the JSON record filed in Blob storage and the source of the
/// markdown restart log (the runbook's template, every field filled).
/// </summary>
public sealed record RunRecord
{
    public required string InstanceId { get; init; }
    public required string Procedure { get; init; }
    public required string Target { get; init; }
    public string Reason { get; init; } = "";
    public string RequestedBy { get; init; } = "";
    public bool Force { get; init; }
    public bool DryRun { get; init; }
    public DateTime StartedUtc { get; init; }
    public DateTime FinishedUtc { get; init; }
    public RunOutcome Outcome { get; init; }

    /// <summary>The "Resolution" line of the restart log.</summary>
    public string Resolution { get; init; } = "";

    /// <summary>Every service the procedure is about, in the order it acted on them, with what it did to each.</summary>
    public IReadOnlyList<ServiceChange> Changes { get; init; } = [];

    /// <summary>Seconds during which at least one service did not answer its probe (the union of the services' outages); null when not measured.</summary>
    public double? DowntimeSeconds { get; init; }

    /// <summary>How the run's downtime was measured, or why it was not.</summary>
    public string DowntimeMethod { get; init; } = "";

    public IReadOnlyList<string> Issues { get; init; } = [];

    /// <summary>Things worth knowing that are not failures (e.g. a unit's stop timeout shorter than Odoo's grace period).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    public IReadOnlyList<string> FollowUpActions { get; init; } = [];
    public IReadOnlyList<SuccessCriterion> SuccessCriteria { get; init; } = [];

    /// <summary>Files the run left in Blob storage. The restart log and this record are listed once filed.</summary>
    public IReadOnlyList<RunArtifact> Artifacts { get; init; } = [];

    public IReadOnlyList<StepRecord> Steps { get; init; } = [];

    /// <summary>What started the run (portal, alert, schedule) and, for an alert, its source identity.</summary>
    public RunTrigger? Trigger { get; init; }

    /// <summary>Alerts for this target that arrived while the run was in progress and were attached to it instead of starting another.</summary>
    public int AttachedAlerts { get; init; }

    /// <summary>The first attached alerts (up to <see cref="Run.MaxAttachmentsListed"/>), with their source fingerprints.</summary>
    public IReadOnlyList<AlertAttachment> Attachments { get; init; } = [];

    /// <summary>Notifications the run sent (escalations, results): per channel whether it was delivered; a failed one never fails the run.</summary>
    public IReadOnlyList<Notifications.NotificationDelivery> Notifications { get; init; } = [];

    /// <summary>What the run planned to do (the steps, commands and expected downtime); null when it stopped before planning.</summary>
    public RunPlan? Plan { get; init; }

    /// <summary>The run's approval (who decided, for which plan), when its policy asked for one.</summary>
    public ApprovalRecord? Approval { get; init; }

    public bool ForcePathTaken => Changes.Any(c => c.ForcePathTaken);

    public ServiceChange? ChangeOf(string service) => Changes.FirstOrDefault(c => c.Service == service);
}
