using Microsoft.AspNetCore.Http;
using Remediation.Intake.Alerts;

namespace Remediation.Server.Api;

/// <summary>Turns the alert intake's answers into HTTP: 202 with the receipt and each alert's outcome, or a problem; 401 for bad credentials.</summary>
public static class AlertResponses
{
    public const string AlertsPath = "/api/alerts";

    public static IResult Received(AlertIntakeResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Receipt is { } receipt
            ? Results.Json(new { receipt = receipt.Id, alerts = receipt.Alerts }, statusCode: StatusCodes.Status202Accepted)
            : IntakeResponses.Problem(result.Status, result.Error);
    }

    public static IResult Unauthorized(HttpResponse response, string reason)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Headers.WWWAuthenticate = "Bearer, Basic realm=\"alerts\"";
        return IntakeResponses.Problem(StatusCodes.Status401Unauthorized, reason);
    }

    /// <summary>The credential check both hosts make, from the request's headers and query string.</summary>
    public static string? Refusal(AlertWebhookAuthenticator authenticator, string source, HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(authenticator);
        ArgumentNullException.ThrowIfNull(request);
        return authenticator.Refusal(
            source,
            request.Headers.Authorization.FirstOrDefault(),
            request.Headers[AlertWebhookAuthenticator.SecretHeader].FirstOrDefault(),
            request.Query[AlertWebhookAuthenticator.SecretQuery].FirstOrDefault());
    }
}
