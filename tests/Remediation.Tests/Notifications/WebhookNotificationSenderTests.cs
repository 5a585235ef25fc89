using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Remediation.Notifications;
using Xunit;

namespace Remediation.Tests.Notifications;

/// <summary>The webhook sender against a local receiver: retries as configured, and one attempt means exactly one.</summary>
[Trait("Category", "Unit")]
public sealed class WebhookNotificationSenderTests
{
    private static readonly Notification Escalation = new() { Kind = NotificationKind.Escalation, Title = "odoo on demo: restart budget exhausted", Target = "demo", RunId = "escalate.demo.odoo.1" };

    [Theory]
    [InlineData(1, 0, true, 1)]
    [InlineData(1, 1, false, 1)]
    [InlineData(3, 1, true, 2)]
    [InlineData(2, 5, false, 2)]
    public async Task SendAsync_ReceiverFailingFirst_DeliversWithinTheConfiguredAttempts(int maxAttempts, int failFirst, bool delivered, int attempts)
    {
        await using var receiver = new NotificationReceiver(failFirst);
        using var http = new HttpClient();
        var options = new NotificationOptions { MaxAttempts = maxAttempts, FirstRetryDelay = TimeSpan.FromMilliseconds(20) };
        options.Channels.Add(new NotificationChannelOptions { Name = "on-call", Url = receiver.Url, Format = NotificationFormat.Json });
        var sender = new WebhookNotificationSender(http, Options.Create(options), NullLogger<WebhookNotificationSender>.Instance, TimeProvider.System);

        NotificationDelivery delivery = Assert.Single(await sender.SendAsync(Escalation, CancellationToken.None));

        Assert.Equal((delivered, attempts), (delivery.Delivered, delivery.Attempts));
        Assert.Equal(attempts, receiver.Posts);
        Assert.Equal(delivered ? null : "HTTP 503 Service Unavailable", delivery.Error);
    }
}
