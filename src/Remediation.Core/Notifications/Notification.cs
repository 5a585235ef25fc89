namespace Remediation.Notifications;

/// <summary>
/// One message for people: its kind, a title and text, the target and run it concerns, and a few named facts. Every
/// channel format (JSON, Teams, Slack) is rendered from this; what a request or an alert supplied stays plain text.
/// </summary>
public sealed record Notification
{
    public required NotificationKind Kind { get; init; }
    public required string Title { get; init; }
    public string Text { get; init; } = "";
    public string? Target { get; init; }

    /// <summary>The run (or escalation) this is about, so a retried delivery can be told apart from a new one.</summary>
    public string? RunId { get; init; }

    /// <summary>A link for more (the run's status or restart log).</summary>
    public string? Link { get; init; }

    /// <summary>Named facts shown as a list (procedure, service, trigger, reason…), in order.</summary>
    public IReadOnlyList<NotificationFact> Facts { get; init; } = [];
}

/// <summary>One named fact of a <see cref="Notification"/>.</summary>
public sealed record NotificationFact(string Name, string Value);
