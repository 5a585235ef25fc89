using System.Net.Http.Json;
using Microsoft.Extensions.Options;

namespace Remediation.Schedules.Notices;

/// <summary>Posts the notice as JSON to <see cref="SchedulesOptions.NoticeWebhookUrl"/>; a non-2xx answer is a failed delivery.</summary>
public sealed class WebhookMaintenanceNotice : IMaintenanceNotice
{
    public const string HttpClientName = "maintenance-notice";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly IHttpClientFactory _http;
    private readonly IOptions<SchedulesOptions> _options;

    public WebhookMaintenanceNotice(IHttpClientFactory http, IOptions<SchedulesOptions> options)
    {
        _http = http;
        _options = options;
    }

    public async Task SendAsync(MaintenanceNotice notice, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notice);
        Uri url = _options.Value.NoticeWebhookUrl
            ?? throw new InvalidOperationException($"{SchedulesOptions.Section}:NoticeWebhookUrl is not set; the notice cannot be sent.");
        using HttpClient client = _http.CreateClient(HttpClientName);
        client.Timeout = Timeout;
        using HttpResponseMessage response = await client.PostAsJsonAsync(url, new
        {
            kind = MaintenanceNotice.Kind,
            id = notice.Id,
            window = notice.Window,
            targets = notice.Targets,
            procedure = notice.Procedure,
            service = notice.Service,
            startsAtUtc = notice.StartsAtUtc,
            endsAtUtc = notice.EndsAtUtc,
            reason = notice.Reason,
            text = notice.Text,
        }, cancellationToken);

        // The URL may carry a token: name only its host in the failure.
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"the notice webhook at {url.Host} answered {(int)response.StatusCode} {response.ReasonPhrase}", null, response.StatusCode);
        }
    }
}
