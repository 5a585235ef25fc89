using System.Text.Json.Serialization;

namespace Remediation.Runs.Approvals;

/// <summary>Where a run's approval stands.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ApprovalStatus>))]
public enum ApprovalStatus
{
    /// <summary>The run shows its plan and waits for a decision.</summary>
    Awaiting,

    Approved,

    /// <summary>Rejected: the run aborted before changing anything.</summary>
    Rejected,

    /// <summary>No decision in time: the run aborted before changing anything.</summary>
    TimedOut,
}
