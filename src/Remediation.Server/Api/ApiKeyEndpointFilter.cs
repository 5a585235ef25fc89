using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Remediation.Intake;

namespace Remediation.Server.Api;

/// <summary>
/// The API's credentials: an API key (<c>X-Api-Key</c> or <c>Authorization: Bearer</c>) or, when configured, a JWT bearer
/// token. Without a valid credential the call gets 401; without the route's role (<see cref="RequiredRole"/>), 403. The
/// caller is left for the endpoint (<see cref="ApiCallers"/>), whose name is recorded as requester or approver.
/// </summary>
public sealed partial class ApiKeyEndpointFilter(ApiKeys keys, IOptions<ApiJwtOptions> jwt, ILogger<ApiKeyEndpointFilter> logger) : IEndpointFilter
{
    public const string HeaderName = "X-Api-Key";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        HttpContext http = context.HttpContext;
        ApiJwtOptions tokens = jwt.Value;
        if (!keys.Required && !tokens.Enabled)
        {
            // Loopback only (the exposure guard saw to it): nobody is named, every role is granted.
            ApiCallers.Set(http, RequestCaller.Unnamed);
            return await next(context);
        }

        HttpRequest request = http.Request;
        string? presented = request.Headers[HeaderName].FirstOrDefault();
        string authorization = request.Headers.Authorization.FirstOrDefault() ?? "";
        if (presented is null && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            presented = authorization["Bearer ".Length..].Trim();
        }

        RequestCaller? caller = presented is null ? null : keys.Identify(presented);
        string? tokenProblem = null;
        if (caller is null && presented is not null && tokens.Enabled && presented.Count(c => c == '.') == 2)
        {
            AuthenticateResult result = await http.AuthenticateAsync(JwtBearerDefaults.AuthenticationScheme);
            caller = result.Succeeded ? JwtCallers.From(result.Principal, tokens) : null;
            tokenProblem = result.Succeeded ? (caller is null ? $"the token has no '{tokens.NameClaim}' claim" : null) : result.Failure?.Message ?? "the token was not accepted";
        }

        if (caller is null)
        {
            LogRefused(logger, request.Method, request.Path, http.Connection.RemoteIpAddress?.ToString() ?? "unknown", presented is not null);
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return IntakeResponses.Problem(
                StatusCodes.Status401Unauthorized,
                presented is null
                    ? $"This API needs a credential: send 'Authorization: Bearer <key or token>' or '{HeaderName}: <key>'."
                    : tokenProblem is null ? "The API key is not valid." : $"The bearer token is not valid: {FirstLine(tokenProblem)}.");
        }

        ApiRoles needed = http.GetEndpoint()?.Metadata.GetMetadata<RequiredRole>()?.Role ?? ApiRoles.Operate;
        if (!caller.Has(needed))
        {
            LogForbidden(logger, caller.Name ?? "", request.Method, request.Path, ApiRoleNames.Of(needed));
            return IntakeResponses.Problem(
                StatusCodes.Status403Forbidden,
                $"The credential '{caller.Name}' does not grant the '{ApiRoleNames.Of(needed)}' role this call needs.");
        }

        ApiCallers.Set(http, caller);
        LogAuthenticated(logger, caller.Name ?? "", request.Method, request.Path);
        return await next(context);
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim().TrimEnd('.');

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused {Method} {Path} from {Remote}: {HadKey} credential")]
    private static partial void LogRefusedCore(ILogger logger, string method, string path, string remote, string hadKey);

    private static void LogRefused(ILogger logger, string method, PathString path, string remote, bool hadKey) =>
        LogRefusedCore(logger, method, path.Value ?? "", remote, hadKey ? "invalid" : "no");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused {Method} {Path} to {Caller}: lacks the {Role} role")]
    private static partial void LogForbiddenCore(ILogger logger, string caller, string method, string path, string role);

    private static void LogForbidden(ILogger logger, string caller, string method, PathString path, string role) =>
        LogForbiddenCore(logger, caller, method, path.Value ?? "", role);

    [LoggerMessage(Level = LogLevel.Information, Message = "API caller {Caller}: {Method} {Path}")]
    private static partial void LogAuthenticatedCore(ILogger logger, string caller, string method, string path);

    private static void LogAuthenticated(ILogger logger, string caller, string method, PathString path) =>
        LogAuthenticatedCore(logger, caller, method, path.Value ?? "");
}
