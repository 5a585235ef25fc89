using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Remediation.Server.Api.Bodies;

namespace Remediation.Functions.Http;

/// <summary>
/// The server's body guard for HTTP functions, which have no endpoint filters: each POST function asks first and answers
/// the 413/415 problem it gets, so no intake parses (or schedules from) a body the server would have refused.
/// </summary>
public sealed class RequestBodies(IOptions<RequestBodyLimitOptions> limits, ILogger<JsonBodyGuard> logger)
{
    /// <summary>The refusal for <paramref name="request"/>'s body under the <paramref name="kind"/> limit, or null with the body buffered.</summary>
    public Task<IResult?> RefuseAsync(HttpRequest request, RequestBodyKind kind)
    {
        ArgumentNullException.ThrowIfNull(request);
        return JsonBodyGuard.RefuseAsync(request.HttpContext, limits.Value.For(kind), logger);
    }
}
