namespace Remediation.Notifications;

/// <summary>How one notification fared on one channel: delivered or not, after how many attempts, and the last error (never the URL).</summary>
public sealed record NotificationDelivery(string Channel, NotificationKind Kind, bool Delivered, int Attempts, string? Error = null);
