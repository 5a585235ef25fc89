using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Remediation.Functions.DurableClient;
using Remediation.Intake;
using Remediation.Intake.Runs;
using Remediation.Server.Api;
using Remediation.Server.Api.Bodies;

namespace Remediation.Functions.Http;

/// <summary>
/// The run routes on Azure Functions — list, cancel, terminate, raise event, approve, reject — over the same
/// <see cref="RemediationRuns"/> and the same answers as the self-hosted server. Function keys
/// (<see cref="AuthorizationLevel.Function"/>) are the credential; they name nobody, so requester and approver names
/// come from the body (<see cref="RequestCaller.Unnamed"/>).
/// </summary>
public sealed class RemediationRunFunctions(RemediationRuns runs, RequestBodies bodies, BoundDurableTaskClient durableClient)
{
    [Function("ListRemediations")]
    public async Task<IResult> ListRemediations(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "remediations")] HttpRequest request,
        [DurableClient] DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(request);
        durableClient.Attach(client);
        IQueryCollection q = request.Query;
        var query = new RunListQuery
        {
            Target = Single(q, "target"),
            Procedure = Single(q, "procedure"),
            State = Single(q, "state"),
            Since = Single(q, "since"),
            PageSize = Single(q, "pageSize"),
            ContinuationToken = Single(q, "continuationToken"),
        };
        return IntakeResponses.List(await runs.ListAsync(query, request.HttpContext.RequestAborted), request);
    }

    [Function("CancelRemediation")]
    public async Task<IResult> CancelRemediation(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "remediations/{id}/cancel")] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(request);
        return await OperationAsync(request, client, (body, aborted) => runs.CancelAsync(id, body, RequestCaller.Unnamed, aborted));
    }

    [Function("TerminateRemediation")]
    public async Task<IResult> TerminateRemediation(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "remediations/{id}/terminate")] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(request);
        return await OperationAsync(request, client, (body, aborted) => runs.TerminateAsync(id, Single(request.Query, "reason"), RequestCaller.Unnamed, aborted));
    }

    [Function("RaiseRemediationEvent")]
    public async Task<IResult> RaiseRemediationEvent(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "remediations/{id}/events/{name}")] HttpRequest request,
        string id,
        string name,
        [DurableClient] DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(request);
        return await OperationAsync(request, client, (body, aborted) => runs.RaiseEventAsync(id, name, body, RequestCaller.Unnamed, aborted));
    }

    [Function("ApproveRemediation")]
    public async Task<IResult> ApproveRemediation(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "remediations/{id}/approve")] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(request);
        return await OperationAsync(request, client, (body, aborted) => runs.DecideAsync(id, body, approve: true, RequestCaller.Unnamed, aborted));
    }

    [Function("RejectRemediation")]
    public async Task<IResult> RejectRemediation(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "remediations/{id}/reject")] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(request);
        return await OperationAsync(request, client, (body, aborted) => runs.DecideAsync(id, body, approve: false, RequestCaller.Unnamed, aborted));
    }

    /// <summary>The body guard (413/415), then the operation on the run with the request's body, answered as the server answers it.</summary>
    private async Task<IResult> OperationAsync(HttpRequest request, DurableTaskClient client, Func<string, CancellationToken, Task<RunOperationResult>> operation)
    {
        if (await bodies.RefuseAsync(request, RequestBodyKind.Api) is { } refused)
        {
            return refused;
        }

        durableClient.Attach(client);
        return IntakeResponses.Operation(await operation(await BodyAsync(request), request.HttpContext.RequestAborted));
    }

    private static string? Single(IQueryCollection query, string name) => query.TryGetValue(name, out var values) ? values.ToString() : null;

    private static async Task<string> BodyAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body);
        return await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
    }
}
