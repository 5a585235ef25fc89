using Microsoft.AspNetCore.Http;
using Remediation.Intake;

namespace Remediation.Server.Api;

/// <summary>Turns the intake's answers into HTTP responses: 202 with status URLs in the Durable Functions style, the run's view, or an RFC 7807 problem.</summary>
public static class IntakeResponses
{
    public const string RemediationsPath = "/api/remediations";

    /// <summary>202 with <c>Location</c> and management URLs when accepted; the intake's status and message as a problem otherwise.</summary>
    public static IResult Started(IntakeResult result, HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(request);

        if (!result.Accepted)
        {
            return result.RunningInstanceId is { } running
                ? Results.Problem(detail: result.Error, statusCode: result.ErrorStatus!.Value, extensions: new Dictionary<string, object?>
                {
                    ["runningId"] = running,
                    ["runningUri"] = $"{request.Scheme}://{request.Host}{request.PathBase}{LocationOf(running)}",
                })
                : Problem(result.ErrorStatus!.Value, result.Error);
        }

        string id = result.InstanceId
            ?? throw new InvalidOperationException("The intake accepted a request but returned no instance id.");
        string location = LocationOf(id);
        string statusUri = $"{request.Scheme}://{request.Host}{request.PathBase}{location}";
        return Results.Accepted(location, new RemediationAccepted(
            id,
            result.JoinedExisting,
            statusUri,
            statusUri + "/terminate?reason={text}",
            statusUri + "/events/{eventName}"));
    }

    /// <summary>200 with the run's view, or 404 naming the id.</summary>
    public static IResult View(string id, RemediationView? view) => view is null ? NotFound(id) : Results.Ok(view);

    /// <summary>The restart log as markdown, or 404 saying the run is unknown or has not filed its log yet.</summary>
    public static IResult RestartLog(string id, string? markdown) => markdown is null
        ? Problem(StatusCodes.Status404NotFound, $"Remediation '{id}' has no restart log: it does not exist or has not finished yet.")
        : Results.Text(markdown, "text/markdown; charset=utf-8");

    public static IResult NotFound(string id) => Problem(StatusCodes.Status404NotFound, $"There is no remediation with id '{id}'.");

    public static IResult Problem(int status, string? detail) => Results.Problem(detail: detail, statusCode: status);

    /// <summary>The relative URL of a run's status.</summary>
    public static string LocationOf(string id) => $"{RemediationsPath}/{Uri.EscapeDataString(id)}";
}
