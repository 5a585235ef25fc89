using Microsoft.DurableTask;
using Remediation.Notifications;

namespace Remediation.Activities.Notifications;

/// <summary>
/// Sends a notification from inside a run. The sender retries each channel itself and reports failures instead of
/// throwing, so this activity completes whatever the receivers do, and the run records each channel's outcome.
/// At-least-once: a re-delivered activity may send a message twice; receivers can tell by its run id and kind.
/// </summary>
public sealed class DeliverNotificationActivity(INotificationSender sender) : TaskActivity<Notification, IReadOnlyList<NotificationDelivery>>
{
    public override Task<IReadOnlyList<NotificationDelivery>> RunAsync(TaskActivityContext context, Notification input) =>
        sender.SendAsync(input, CancellationToken.None);
}
