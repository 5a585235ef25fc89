namespace Remediation.Notifications;

/// <summary>Where notifications go (<c>Notifications</c>): a list of webhook channels, each with its format and the kinds it takes.</summary>
public sealed class NotificationOptions
{
    public const string Section = "Notifications";

    public IList<NotificationChannelOptions> Channels { get; } = [];

    /// <summary>Attempts per channel and delivery (the first one included), with exponential back-off from <see cref="FirstRetryDelay"/>.</summary>
    public int MaxAttempts { get; set; } = 4;

    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long one POST may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>One webhook channel. Its URL may carry a secret (Slack and Teams put the token in it): it never reaches a log or record.</summary>
public sealed class NotificationChannelOptions
{
    /// <summary>The name records and logs use for the channel.</summary>
    public string Name { get; set; } = "";

    public Uri? Url { get; set; }

    public NotificationFormat Format { get; set; } = NotificationFormat.Json;

    /// <summary>The kinds this channel takes; empty takes every kind.</summary>
    public IList<NotificationKind> Kinds { get; } = [];

    public bool Takes(NotificationKind kind) => Kinds.Count == 0 || Kinds.Contains(kind);
}
