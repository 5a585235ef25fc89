namespace Remediation.Notifications;

/// <summary>
/// Sends a notification to every configured channel that takes its kind. Never throws for a channel that fails: each
/// channel's outcome is returned so the caller records it (a failed delivery never fails a run).
/// </summary>
public interface INotificationSender
{
    Task<IReadOnlyList<NotificationDelivery>> SendAsync(Notification notification, CancellationToken cancellationToken);
}
