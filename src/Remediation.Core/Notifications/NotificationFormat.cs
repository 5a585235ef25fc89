using System.Text.Json.Serialization;

namespace Remediation.Notifications;

/// <summary>The body a channel expects.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<NotificationFormat>))]
public enum NotificationFormat
{
    /// <summary>The notification itself as JSON (camelCase): for any receiver of our own.</summary>
    Json,

    /// <summary>A Microsoft Teams incoming-webhook / Workflows message carrying an Adaptive Card.</summary>
    Teams,

    /// <summary>A Slack incoming-webhook message (<c>text</c> plus <c>blocks</c>); Mattermost and Rocket.Chat accept it too.</summary>
    Slack,
}
