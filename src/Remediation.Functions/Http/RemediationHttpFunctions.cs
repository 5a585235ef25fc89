using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Remediation.Functions.DurableClient;
using Remediation.Intake;
using Remediation.Server.Api;
using Remediation.Server.Api.Bodies;

namespace Remediation.Functions.Http;

/// <summary>The remediation HTTP API on Azure Functions: the same intake and the same answers as the self-hosted server.</summary>
/// <remarks><c>[DurableClient]</c> is declared so the host passes its durable endpoint; the intake reaches it through <see cref="BoundDurableTaskClient"/>.</remarks>
public sealed class RemediationHttpFunctions(IRemediationIntake intake, RequestBodies bodies, BoundDurableTaskClient durableClient)
{
    [Function("StartRemediation")]
    public async Task<IResult> StartRemediation(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "remediations")] HttpRequest request,
        [DurableClient] DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await bodies.RefuseAsync(request, RequestBodyKind.Api) is { } refused)
        {
            return refused;
        }

        durableClient.Attach(client);
        using var reader = new StreamReader(request.Body);
        string body = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
        IntakeResult result = await intake.StartAsync(body, request.HttpContext.RequestAborted);
        return IntakeResponses.Started(result, request);
    }

    [Function("GetRemediation")]
    public async Task<IResult> GetRemediation(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "remediations/{id}")] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(request);
        durableClient.Attach(client);
        if (!InstanceIds.CanExist(id))
        {
            return IntakeResponses.NotFound(id);
        }

        return IntakeResponses.View(id, await intake.GetAsync(id, request.HttpContext.RequestAborted));
    }

    [Function("GetRestartLog")]
    public async Task<IResult> GetRestartLog(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "remediations/{id}/restart-log")] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(request);
        durableClient.Attach(client);
        return IntakeResponses.RestartLog(id, InstanceIds.CanExist(id) ? await intake.GetRestartLogAsync(id, request.HttpContext.RequestAborted) : null);
    }
}
