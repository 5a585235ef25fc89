using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace Remediation.Notifications;

/// <summary>
/// Posts notifications to the configured webhook channels, each with its own format, retrying a failed POST (network
/// error, timeout, 408/429/5xx) with exponential back-off. A channel that still fails is reported, never thrown.
/// </summary>
public sealed partial class WebhookNotificationSender : INotificationSender
{
    private readonly HttpClient _http;
    private readonly NotificationOptions _options;
    private readonly ILogger<WebhookNotificationSender> _logger;
    private readonly ResiliencePipeline<HttpResponseMessage> _retry;

    public WebhookNotificationSender(HttpClient http, IOptions<NotificationOptions> options, ILogger<WebhookNotificationSender> logger, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _http = http;
        _options = options.Value;
        _logger = logger;
        var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time };
        if (_options.MaxAttempts > 1)
        {
            // Polly refuses a retry strategy of zero retries: one attempt means no retry strategy at all.
            pipeline.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = _options.MaxAttempts - 1,
                Delay = _options.FirstRetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .Handle<TaskCanceledException>()
                    .HandleResult(r => IsTransient((int)r.StatusCode)),
            });
        }

        _retry = pipeline.AddTimeout(_options.Timeout).Build();
    }

    public async Task<IReadOnlyList<NotificationDelivery>> SendAsync(Notification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        List<Task<NotificationDelivery>> sends = [.. _options.Channels.Where(c => c.Takes(notification.Kind) && c.Url is not null).Select(c => SendAsync(c, notification, cancellationToken))];
        return await Task.WhenAll(sends);
    }

    private async Task<NotificationDelivery> SendAsync(NotificationChannelOptions channel, Notification notification, CancellationToken cancellationToken)
    {
        string body = NotificationMessages.Render(notification, channel.Format);
        int attempts = 0;
        try
        {
            using HttpResponseMessage response = await _retry.ExecuteAsync(
                async token =>
                {
                    attempts++;
                    using var content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
                    return await _http.PostAsync(channel.Url, content, token);
                },
                cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                LogDelivered(_logger, notification.Kind, channel.Name, attempts);
                return new NotificationDelivery(channel.Name, notification.Kind, true, attempts);
            }

            return Failed(channel, notification, attempts, $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or TimeoutException or Polly.Timeout.TimeoutRejectedException)
        {
            // The message only: an HttpRequestException's text names the host, never the path or query where tokens live.
            return Failed(channel, notification, attempts, e is HttpRequestException http ? $"{http.HttpRequestError}: {http.Message}" : "timed out");
        }
    }

    private NotificationDelivery Failed(NotificationChannelOptions channel, Notification notification, int attempts, string error)
    {
        LogFailed(_logger, notification.Kind, channel.Name, attempts, error);
        return new NotificationDelivery(channel.Name, notification.Kind, false, attempts, error);
    }

    private static bool IsTransient(int status) => status is 408 or 429 or >= 500;

    [LoggerMessage(Level = LogLevel.Information, Message = "Notification {Kind} delivered to channel {Channel} after {Attempts} attempt(s)")]
    private static partial void LogDelivered(ILogger logger, NotificationKind kind, string channel, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification {Kind} not delivered to channel {Channel} after {Attempts} attempt(s): {Error}")]
    private static partial void LogFailed(ILogger logger, NotificationKind kind, string channel, int attempts, string error);
}
