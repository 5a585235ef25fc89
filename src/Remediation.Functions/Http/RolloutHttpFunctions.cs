using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Remediation.Functions.DurableClient;
using Remediation.Intake;
using Remediation.Intake.Rollouts;
using Remediation.Server.Api;
using Remediation.Server.Api.Bodies;

namespace Remediation.Functions.Http;

/// <summary>Portal rollouts on Azure Functions: the same intake and answers as the server's <c>POST /api/rollouts</c> and <c>GET /api/rollouts/{id}</c>.</summary>
public sealed class RolloutHttpFunctions(RolloutIntake rollouts, RequestBodies bodies, BoundDurableTaskClient durableClient)
{
    [Function("StartRollout")]
    public async Task<IResult> StartRollout(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "rollouts")] HttpRequest request,
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
        return RolloutResponses.Started(await rollouts.StartAsync(body, request.HttpContext.RequestAborted), request);
    }

    [Function("GetRollout")]
    public async Task<IResult> GetRollout(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "rollouts/{id}")] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(request);
        durableClient.Attach(client);
        return RolloutResponses.View(id, InstanceIds.CanExist(id) ? await rollouts.GetAsync(id, request.HttpContext.RequestAborted) : null);
    }
}
