using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask.Client;
using Remediation.Intake;
using Remediation.Intake.Rollouts;
using Remediation.Runs;
using Remediation.Server.Api.Bodies;

namespace Remediation.Server.Api;

/// <summary>The remediation HTTP API: thin endpoints over <see cref="IRemediationIntake"/> and <see cref="DurableTaskClient"/>.</summary>
public static partial class RemediationEndpoints
{
    public static IEndpointRouteBuilder MapRemediationApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        RouteGroupBuilder remediations = endpoints.MapGroup(IntakeResponses.RemediationsPath).AddEndpointFilter<ApiKeyEndpointFilter>();
        remediations.MapPost(string.Empty, StartAsync).AddEndpointFilter(new JsonBodyGuard(RequestBodyKind.Api));
        remediations.MapGet("/{id}", GetAsync);
        remediations.MapGet("/{id}/restart-log", GetRestartLogAsync);
        remediations.MapPost("/{id}/cancel", CancelAsync).AddEndpointFilter(new JsonBodyGuard(RequestBodyKind.Api));
        remediations.MapPost("/{id}/terminate", TerminateAsync).AddEndpointFilter(new JsonBodyGuard(RequestBodyKind.Api));
        remediations.MapPost("/{id}/events/{name}", RaiseEventAsync).AddEndpointFilter(new JsonBodyGuard(RequestBodyKind.Api));

        RouteGroupBuilder rollouts = endpoints.MapGroup(RolloutResponses.RolloutsPath).AddEndpointFilter<ApiKeyEndpointFilter>();
        rollouts.MapPost(string.Empty, StartRolloutAsync).AddEndpointFilter(new JsonBodyGuard(RequestBodyKind.Api));
        rollouts.MapGet("/{id}", GetRolloutAsync);
        return endpoints;
    }

    private static async Task<IResult> StartRolloutAsync(HttpRequest request, [FromServices] RolloutIntake rollouts, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        string body = await reader.ReadToEndAsync(cancellationToken);
        return RolloutResponses.Started(await rollouts.StartAsync(body, cancellationToken), request);
    }

    private static async Task<IResult> GetRolloutAsync(string id, [FromServices] RolloutIntake rollouts, CancellationToken cancellationToken) =>
        RolloutResponses.View(id, InstanceIds.CanExist(id) ? await rollouts.GetAsync(id, cancellationToken) : null);

    private static async Task<IResult> StartAsync(HttpRequest request, [FromServices] IRemediationIntake intake, CancellationToken cancellationToken)
    {
        // The intake parses and validates; the raw text lets it report JSON errors in its own words.
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        string body = await reader.ReadToEndAsync(cancellationToken);
        IntakeResult result = await intake.StartAsync(body, cancellationToken);
        return IntakeResponses.Started(result, request);
    }

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

    /// <summary>
    /// Asks the run to stop before its next step (an event it checks between steps): the step in flight finishes, and
    /// the run files its record saying who cancelled it and what had changed. Body (optional): requestedBy, reason.
    /// </summary>
    private static async Task<IResult> CancelAsync(
        string id, HttpRequest request, [FromServices] DurableTaskClient client, CancellationToken cancellationToken)
    {
        CancelRequest cancel;
        try
        {
            cancel = await ReadCancelRequestAsync(request, cancellationToken);
        }
        catch (JsonException e)
        {
            return IntakeResponses.Problem(StatusCodes.Status400BadRequest, $"The cancel request must be JSON such as {{\"requestedBy\":\"alice\",\"reason\":\"...\"}} (or empty): {e.Message}");
        }

        if (cancel.RequestedBy.Length > MaxCancelText || cancel.Reason.Length > MaxCancelText)
        {
            return IntakeResponses.Problem(StatusCodes.Status422UnprocessableEntity, $"'requestedBy' and 'reason' may have at most {MaxCancelText} characters.");
        }

        IResult? refusal = await RefuseUnlessRunningAsync(client, id, "cancel", cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        await client.RaiseEventAsync(id, Run.CancelEvent, cancel, cancellationToken);
        return Results.Accepted(IntakeResponses.LocationOf(id), new { id, message = "Cancel requested: the run stops before its next step; the step in flight finishes, and the record says what had changed." });
    }

    /// <summary>The last resort: ends the orchestration at once, then files a record of what it had done so far.</summary>
    private static async Task<IResult> TerminateAsync(
        string id, string? reason, [FromServices] DurableTaskClient client, [FromServices] IRemediationIntake intake, CancellationToken cancellationToken)
    {
        IResult? refusal = await RefuseUnlessRunningAsync(client, id, "terminate", cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        await client.TerminateInstanceAsync(id, reason, cancellationToken);
        string? log = await intake.FileTerminatedAsync(id, reason, cancellationToken);
        return Results.Accepted(IntakeResponses.LocationOf(id), new { id, restartLog = log });
    }

    private const int MaxCancelText = 500;

    private static async Task<CancelRequest> ReadCancelRequestAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        JsonElement? payload = await ReadJsonPayloadAsync(request, cancellationToken);
        if (payload is not { ValueKind: JsonValueKind.Object } body)
        {
            return payload is null ? new CancelRequest() : throw new JsonException("the body is not a JSON object");
        }

        string Text(string name) => body.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() ?? "" : "";
        return new CancelRequest(Text("requestedBy"), Text("reason"));
    }

    private static async Task<IResult> RaiseEventAsync(
        string id, string name, HttpRequest request, [FromServices] DurableTaskClient client, CancellationToken cancellationToken)
    {
        if (!EventNamePattern().IsMatch(name))
        {
            return IntakeResponses.Problem(
                StatusCodes.Status400BadRequest,
                $"Event name '{name}' is invalid: use 1 to 64 letters, digits, '-' or '_'.");
        }

        JsonElement? payload;
        try
        {
            payload = await ReadJsonPayloadAsync(request, cancellationToken);
        }
        catch (JsonException e)
        {
            return IntakeResponses.Problem(StatusCodes.Status400BadRequest, $"The event payload must be JSON (or empty): {e.Message}");
        }

        IResult? refusal = await RefuseUnlessRunningAsync(client, id, "raise an event on", cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        await client.RaiseEventAsync(id, name, payload, cancellationToken);
        return Results.Accepted();
    }

    // The task hub accepts messages for unknown or finished instances and silently drops them; the caller deserves to know.
    private static async Task<IResult?> RefuseUnlessRunningAsync(
        DurableTaskClient client, string id, string action, CancellationToken cancellationToken)
    {
        OrchestrationMetadata? instance = InstanceIds.CanExist(id) ? await client.GetInstanceAsync(id, cancellationToken) : null;
        if (instance is null)
        {
            return IntakeResponses.NotFound(id);
        }

        if (instance.IsCompleted)
        {
            return IntakeResponses.Problem(
                StatusCodes.Status409Conflict,
                $"Remediation '{id}' has already finished ({instance.RuntimeStatus}); there is nothing to {action}.");
        }

        return null;
    }

    private static async Task<JsonElement?> ReadJsonPayloadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        string text = await reader.ReadToEndAsync(cancellationToken);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        using JsonDocument document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex EventNamePattern();
}
