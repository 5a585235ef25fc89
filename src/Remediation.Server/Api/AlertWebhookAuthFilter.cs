using Remediation.Intake.Alerts;

namespace Remediation.Server.Api;

/// <summary>Refuses an alert webhook call without its source's credentials (401) before its body is read.</summary>
public sealed partial class AlertWebhookAuthFilter(string source) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        HttpContext http = context.HttpContext;
        AlertWebhookAuthenticator authenticator = http.RequestServices.GetRequiredService<AlertWebhookAuthenticator>();
        if (AlertResponses.Refusal(authenticator, source, http.Request) is { } refusal)
        {
            LogRefused(http.RequestServices.GetRequiredService<ILogger<AlertWebhookAuthFilter>>(), source, http.Connection.RemoteIpAddress?.ToString() ?? "unknown");
            return AlertResponses.Unauthorized(http.Response, refusal);
        }

        return await next(context);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused {Source} alert webhook from {Remote}: no valid credentials")]
    private static partial void LogRefused(ILogger logger, string source, string remote);
}
