using System.Text.Json.Serialization;

namespace Remediation.Notifications;

/// <summary>What a notification is about; channels can subscribe to some kinds only.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<NotificationKind>))]
public enum NotificationKind
{
    /// <summary>The product stopped short of acting and a person must (restart budget exhausted, failed remediation).</summary>
    Escalation,

    /// <summary>A run waits for someone to approve its plan.</summary>
    ApprovalRequest,

    /// <summary>A run was put off (freeze window, active users) to a later time.</summary>
    Deferral,

    /// <summary>Users are told ahead of a planned maintenance window.</summary>
    PlannedMaintenance,

    /// <summary>A run ended: its outcome and restart log.</summary>
    Result,
}
