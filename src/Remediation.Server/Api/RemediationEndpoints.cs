using System.Text;
using Microsoft.AspNetCore.Mvc;
using Remediation.Intake;
using Remediation.Intake.Rollouts;
using Remediation.Intake.Runs;
using Remediation.Server.Api.Bodies;

namespace Remediation.Server.Api;

/// <summary>The remediation HTTP API: thin endpoints over <see cref="IRemediationIntake"/> and <see cref="RemediationRuns"/>, which the Functions app calls too.</summary>
public static class RemediationEndpoints
{
    public static IEndpointRouteBuilder MapRemediationApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        RouteGroupBuilder remediations = endpoints.MapGroup(IntakeResponses.RemediationsPath).AddEndpointFilter<ApiKeyEndpointFilter>();
        remediations.MapGet(string.Empty, ListAsync).WithMetadata(RequiredRole.Read);
        remediations.MapPost(string.Empty, StartAsync).AddEndpointFilter(new JsonBodyGuard(RequestBodyKind.Api)).WithMetadata(RequiredRole.Operate);
        remediations.MapGet("/{id}", GetAsync).WithMetadata(RequiredRole.Read);
        remediations.MapGet("/{id}/restart-log", GetRestartLogAsync).WithMetadata(RequiredRole.Read);
        remediations.MapPost("/{id}/cancel", CancelAsync).AddEndpointFilter(new JsonBodyGuard(RequestBodyKind.Api)).WithMetadata(RequiredRole.Operate);
        remediations.MapPost("/{id}/terminate", TerminateAsync).AddEndpointFilter(new JsonBodyGuard(RequestBodyKind.Api)).WithMetadata(RequiredRole.Operate);
        remediations.MapPost("/{id}/events/{name}", RaiseEventAsync).AddEndpointFilter(new JsonBodyGuard(RequestBodyKind.Api)).WithMetadata(RequiredRole.Operate);
        remediations.MapPost("/{id}/approve", ApproveAsync).AddEndpointFilter(new JsonBodyGuard(RequestBodyKind.Api)).WithMetadata(RequiredRole.Approve);
        remediations.MapPost("/{id}/reject", RejectAsync).AddEndpointFilter(new JsonBodyGuard(RequestBodyKind.Api)).WithMetadata(RequiredRole.Approve);

        RouteGroupBuilder rollouts = endpoints.MapGroup(RolloutResponses.RolloutsPath).AddEndpointFilter<ApiKeyEndpointFilter>();
        rollouts.MapPost(string.Empty, StartRolloutAsync).AddEndpointFilter(new JsonBodyGuard(RequestBodyKind.Api)).WithMetadata(RequiredRole.Operate);
        rollouts.MapGet("/{id}", GetRolloutAsync).WithMetadata(RequiredRole.Read);
        return endpoints;
    }

    private static async Task<IResult> StartRolloutAsync(HttpRequest request, [FromServices] RolloutIntake rollouts, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        string body = await reader.ReadToEndAsync(cancellationToken);
        return RolloutResponses.Started(await rollouts.StartAsync(body, ApiCallers.Of(request.HttpContext), cancellationToken), request);
    }

    private static async Task<IResult> GetRolloutAsync(string id, [FromServices] RolloutIntake rollouts, CancellationToken cancellationToken) =>
        RolloutResponses.View(id, InstanceIds.CanExist(id) ? await rollouts.GetAsync(id, cancellationToken) : null);

    private static async Task<IResult> StartAsync(HttpRequest request, [FromServices] IRemediationIntake intake, CancellationToken cancellationToken)
    {
        // The intake parses and validates; the raw text lets it report JSON errors in its own words.
        string body = await ReadBodyAsync(request, cancellationToken);
        IntakeResult result = await intake.StartAsync(body, ApiCallers.Of(request.HttpContext), cancellationToken);
        return IntakeResponses.Started(result, request);
    }

    private static async Task<IResult> ListAsync(
        HttpRequest request, [FromServices] RemediationRuns runs, CancellationToken cancellationToken,
        string? target = null, string? procedure = null, string? state = null, string? since = null, string? pageSize = null, string? continuationToken = null) =>
        IntakeResponses.List(
            await runs.ListAsync(new RunListQuery { Target = target, Procedure = procedure, State = state, Since = since, PageSize = pageSize, ContinuationToken = continuationToken }, cancellationToken),
            request);

    private static async Task<IResult> GetAsync(string id, [FromServices] IRemediationIntake intake, CancellationToken cancellationToken)
    {
        if (!InstanceIds.CanExist(id))
        {
            return IntakeResponses.NotFound(id);
        }

        return IntakeResponses.View(id, await intake.GetAsync(id, cancellationToken));
    }

    private static async Task<IResult> GetRestartLogAsync(string id, [FromServices] IRemediationIntake intake, CancellationToken cancellationToken) =>
        IntakeResponses.RestartLog(id, InstanceIds.CanExist(id) ? await intake.GetRestartLogAsync(id, cancellationToken) : null);

    /// <summary>Asks the run to stop before its next step; the step in flight finishes and the record says who cancelled it. Body (optional): requestedBy, reason.</summary>
    private static async Task<IResult> CancelAsync(string id, HttpRequest request, [FromServices] RemediationRuns runs, CancellationToken cancellationToken) =>
        IntakeResponses.Operation(await runs.CancelAsync(id, await ReadBodyAsync(request, cancellationToken), ApiCallers.Of(request.HttpContext), cancellationToken));

    /// <summary>The last resort: ends the orchestration at once, then files a record of what it had done so far.</summary>
    private static async Task<IResult> TerminateAsync(string id, string? reason, HttpRequest request, [FromServices] RemediationRuns runs, CancellationToken cancellationToken) =>
        IntakeResponses.Operation(await runs.TerminateAsync(id, reason, ApiCallers.Of(request.HttpContext), cancellationToken));

    private static async Task<IResult> RaiseEventAsync(string id, string name, HttpRequest request, [FromServices] RemediationRuns runs, CancellationToken cancellationToken) =>
        IntakeResponses.Operation(await runs.RaiseEventAsync(id, name, await ReadBodyAsync(request, cancellationToken), ApiCallers.Of(request.HttpContext), cancellationToken));

    private static async Task<IResult> ApproveAsync(string id, HttpRequest request, [FromServices] RemediationRuns runs, CancellationToken cancellationToken) =>
        IntakeResponses.Operation(await runs.DecideAsync(id, await ReadBodyAsync(request, cancellationToken), approve: true, ApiCallers.Of(request.HttpContext), cancellationToken));

    private static async Task<IResult> RejectAsync(string id, HttpRequest request, [FromServices] RemediationRuns runs, CancellationToken cancellationToken) =>
        IntakeResponses.Operation(await runs.DecideAsync(id, await ReadBodyAsync(request, cancellationToken), approve: false, ApiCallers.Of(request.HttpContext), cancellationToken));

    private static async Task<string> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        return await reader.ReadToEndAsync(cancellationToken);
    }
}
