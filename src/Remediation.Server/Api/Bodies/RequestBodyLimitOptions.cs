namespace Remediation.Server.Api.Bodies;

/// <summary>The largest request body each kind of route reads (<c>Api:BodyLimits</c>), enforced before any JSON is parsed.</summary>
public sealed class RequestBodyLimitOptions
{
    public const string Section = "Api:BodyLimits";

    /// <summary>A remediation request is a few hundred bytes; 256 KiB leaves room for long reasons without letting a body tie up memory.</summary>
    public const long DefaultApiBytes = 256 * 1024;

    /// <summary>
    /// Azure Monitor's common alert schema reaches about 256 KB for log alerts (search results inline) and an
    /// Alertmanager webhook carries a whole group of alerts with their labels and annotations; 1 MiB covers both with margin.
    /// </summary>
    public const long DefaultAlertWebhookBytes = 1024 * 1024;

    /// <summary>Bodies of the remediation API's POST routes.</summary>
    public long ApiBytes { get; set; } = DefaultApiBytes;

    /// <summary>Bodies of alert webhook routes (Azure Monitor, Alertmanager).</summary>
    public long AlertWebhookBytes { get; set; } = DefaultAlertWebhookBytes;

    public long For(RequestBodyKind kind) => kind switch
    {
        RequestBodyKind.Api => ApiBytes,
        RequestBodyKind.AlertWebhook => AlertWebhookBytes,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown body kind"),
    };

    /// <summary>The largest of the limits: what Kestrel allows any request, so a route without a guard cannot be sent more.</summary>
    public long Largest => Math.Max(ApiBytes, AlertWebhookBytes);
}
