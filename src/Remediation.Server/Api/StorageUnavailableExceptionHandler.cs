using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Remediation.Server.DurableRuntime;

namespace Remediation.Server.Api;

/// <summary>Answers 503 with a problem body (and Retry-After) when a call failed because task hub or artifact storage could not be reached; everything else stays a 500.</summary>
public sealed partial class StorageUnavailableExceptionHandler(
    TaskHubStorageProbe probe, IProblemDetailsService problems, ILogger<StorageUnavailableExceptionHandler> logger) : IExceptionHandler
{
    /// <summary>What the answer suggests to the caller: about when storage comes back is unknown, the probe's cache is this long.</summary>
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (httpContext.RequestAborted.IsCancellationRequested || httpContext.Response.HasStarted)
        {
            return false;
        }

        string reason;
        switch (StorageFailures.Classify(exception))
        {
            case StorageFailures.Verdict.Unreachable:
                StorageReachability now = await probe.CheckAsync(cancellationToken);
                reason = now.IsReachable ? $"storage did not answer: {FirstLine(exception.Message)}" : now.Description;
                break;
            case StorageFailures.Verdict.Possibly:
                StorageReachability reachability = await probe.CheckAsync(cancellationToken);
                if (reachability.IsReachable)
                {
                    return false;
                }

                reason = reachability.Description;
                break;
            default:
                return false;
        }

        LogUnavailable(logger, httpContext.Request.Method, httpContext.Request.Path, reason);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Storage unavailable",
                Detail = $"The request could not be completed because {reason}. Nothing was lost: runs go on once storage answers; retry in a few seconds.",
            },
        });
    }

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Path} answered 503: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string method, string path, string reason);
}
