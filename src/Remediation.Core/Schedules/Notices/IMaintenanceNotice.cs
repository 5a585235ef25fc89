namespace Remediation.Schedules.Notices;

/// <summary>Delivers a planned-maintenance notice; throws when it could not be delivered (the caller retries and records it).</summary>
/// <remarks>The alerts engineer's notifier (Notifications/) is meant to implement this too, so notices go to Teams/Slack like the rest.</remarks>
public interface IMaintenanceNotice
{
    Task SendAsync(MaintenanceNotice notice, CancellationToken cancellationToken);
}
