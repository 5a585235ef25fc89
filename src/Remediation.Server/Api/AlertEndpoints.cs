using System.Text;
using Microsoft.AspNetCore.Mvc;
using Remediation.Intake.Alerts;
using Remediation.Server.Api.Bodies;

namespace Remediation.Server.Api;

/// <summary>
/// Alert webhooks in each source's native payload: <c>POST /api/alerts/azure-monitor</c>, <c>/alertmanager</c>,
/// <c>/grafana</c>. Credentials first (401), then the body guard (415/413), then the shared <see cref="AlertIntake"/>.
/// </summary>
public static class AlertEndpoints
{
    public static IEndpointRouteBuilder MapAlertWebhooks(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        RouteGroupBuilder alerts = endpoints.MapGroup(AlertResponses.AlertsPath);
        foreach (string source in AlertSource.All)
        {
            alerts.MapPost("/" + source, (HttpRequest request, [FromServices] AlertIntake intake, CancellationToken cancellationToken) => ReceiveAsync(source, request, intake, cancellationToken))
                .AddEndpointFilter(new AlertWebhookAuthFilter(source))
                .AddEndpointFilter(new JsonBodyGuard(RequestBodyKind.AlertWebhook));
        }

        return endpoints;
    }

    private static async Task<IResult> ReceiveAsync(string source, HttpRequest request, AlertIntake intake, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        string body = await reader.ReadToEndAsync(cancellationToken);
        return AlertResponses.Received(await intake.ReceiveAsync(source, body, cancellationToken));
    }
}
