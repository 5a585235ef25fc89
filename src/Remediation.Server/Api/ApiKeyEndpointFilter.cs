namespace Remediation.Server.Api;

/// <summary>Refuses API calls without a valid key (401) when keys are configured.</summary>
public sealed partial class ApiKeyEndpointFilter(ApiKeys keys, ILogger<ApiKeyEndpointFilter> logger) : IEndpointFilter
{
    public const string HeaderName = "X-Api-Key";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (!keys.Required)
        {
            return await next(context);
        }

        HttpRequest request = context.HttpContext.Request;
        string? presented = request.Headers[HeaderName].FirstOrDefault();
        string authorization = request.Headers.Authorization.FirstOrDefault() ?? "";
        if (presented is null && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            presented = authorization["Bearer ".Length..].Trim();
        }

        string? caller = presented is null ? null : keys.Authenticate(presented);
        if (caller is null)
        {
            LogRefused(logger, request.Method, request.Path, context.HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown", presented is not null);
            context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
            return IntakeResponses.Problem(
                StatusCodes.Status401Unauthorized,
                presented is null
                    ? $"This API needs a key: send 'Authorization: Bearer <key>' or '{HeaderName}: <key>'."
                    : "The API key is not valid.");
        }

        LogAuthenticated(logger, caller, request.Method, request.Path);
        return await next(context);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused {Method} {Path} from {Remote}: {HadKey} key")]
    private static partial void LogRefusedCore(ILogger logger, string method, string path, string remote, string hadKey);

    private static void LogRefused(ILogger logger, string method, PathString path, string remote, bool hadKey) =>
        LogRefusedCore(logger, method, path.Value ?? "", remote, hadKey ? "invalid" : "no");

    [LoggerMessage(Level = LogLevel.Information, Message = "API caller {Caller}: {Method} {Path}")]
    private static partial void LogAuthenticatedCore(ILogger logger, string caller, string method, string path);

    private static void LogAuthenticated(ILogger logger, string caller, string method, PathString path) =>
        LogAuthenticatedCore(logger, caller, method, path.Value ?? "");
}
