using Microsoft.AspNetCore.Http;
using Remediation.Intake;

namespace Remediation.Server.Api;

/// <summary>Rollout answers for both hosts: 202 with <c>Location</c> and the status URL, the rollout's view, or a problem.</summary>
public static class RolloutResponses
{
    public const string RolloutsPath = "/api/rollouts";

    public static IResult Started(IntakeResult result, HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(request);
        if (!result.Accepted)
        {
            return IntakeResponses.Problem(result.ErrorStatus!.Value, result.Error);
        }

        string location = $"{RolloutsPath}/{Uri.EscapeDataString(result.InstanceId!)}";
        return Results.Accepted(location, new { id = result.InstanceId, statusQueryGetUri = $"{request.Scheme}://{request.Host}{request.PathBase}{location}" });
    }

    public static IResult View(string id, RemediationView? view) => view is null
        ? IntakeResponses.Problem(StatusCodes.Status404NotFound, $"There is no rollout with id '{id}'.")
        : Results.Ok(view);
}
