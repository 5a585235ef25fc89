using Microsoft.AspNetCore.Http;
using Remediation.Intake;
using Remediation.Intake.Runs;

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
            statusUri + "/events/{eventName}",
            statusUri + "/cancel",
            statusUri + "/approve",
            statusUri + "/reject"));
    }

    /// <summary>An operation's answer: 202 with <c>Location</c> for an accepted operation on a run, 200 with its body, or a problem (with its extra members).</summary>
    public static IResult Operation(RunOperationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (!result.Succeeded)
        {
            return Results.Problem(detail: result.Error, statusCode: result.Status, extensions: result.Extensions?.ToDictionary(e => e.Key, e => e.Value));
        }

        return result.Status == StatusCodes.Status202Accepted && result.InstanceId is { } id
            ? Results.Accepted(LocationOf(id), result.Body)
            : Results.Json(result.Body, statusCode: result.Status);
    }

    /// <summary>A page of runs with each run's status URL and, while there are more, the next page's URL.</summary>
    public static IResult List(RunOperationResult result, HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(request);
        if (result is not { Succeeded: true, Body: RunListPage page })
        {
            return Operation(result);
        }

        string root = $"{request.Scheme}://{request.Host}{request.PathBase}";
        string? next = null;
        if (page.ContinuationToken is { } token)
        {
            var query = request.Query.Where(q => q.Key != "continuationToken").Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value.ToString())}")
                .Append($"continuationToken={Uri.EscapeDataString(token)}");
            next = $"{root}{RemediationsPath}?{string.Join('&', query)}";
        }

        return Results.Ok(new
        {
            items = page.Items.Select(item => item with { StatusQueryGetUri = root + LocationOf(item.Id) }),
            continuationToken = page.ContinuationToken,
            nextPageUri = next,
            pageSize = page.PageSize,
        });
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
