using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Remediation.Functions.DurableClient;
using Remediation.Intake.Alerts;
using Remediation.Server.Api;
using Remediation.Server.Api.Bodies;

namespace Remediation.Functions.Http;

/// <summary>
/// The alert webhooks on Azure Functions: the same routes, credentials check and <see cref="AlertIntake"/> as the server.
/// The function key (<c>?code=</c>) comes on top of the source's own credentials; then the body guard (415/413), as on the server.
/// </summary>
public sealed class AlertHttpFunctions(AlertIntake intake, AlertWebhookAuthenticator authenticator, RequestBodies bodies, BoundDurableTaskClient durableClient)
{
    [Function("AzureMonitorAlert")]
    public Task<IResult> AzureMonitor(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "alerts/azure-monitor")] HttpRequest request, [DurableClient] DurableTaskClient client) =>
        ReceiveAsync(AlertSource.AzureMonitor, request, client);

    [Function("AlertmanagerAlert")]
    public Task<IResult> Alertmanager(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "alerts/alertmanager")] HttpRequest request, [DurableClient] DurableTaskClient client) =>
        ReceiveAsync(AlertSource.Alertmanager, request, client);

    [Function("GrafanaAlert")]
    public Task<IResult> Grafana(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "alerts/grafana")] HttpRequest request, [DurableClient] DurableTaskClient client) =>
        ReceiveAsync(AlertSource.Grafana, request, client);

    private async Task<IResult> ReceiveAsync(string source, HttpRequest request, DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (AlertResponses.Refusal(authenticator, source, request) is { } refusal)
        {
            return AlertResponses.Unauthorized(request.HttpContext.Response, refusal);
        }

        if (await bodies.RefuseAsync(request, RequestBodyKind.AlertWebhook) is { } refused)
        {
            return refused;
        }

        durableClient.Attach(client);
        using var reader = new StreamReader(request.Body);
        string body = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
        return AlertResponses.Received(await intake.ReceiveAsync(source, body, request.HttpContext.RequestAborted));
    }
}
