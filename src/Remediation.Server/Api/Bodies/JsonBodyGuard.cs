using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Remediation.Server.Api.Bodies;

/// <summary>
/// Reads a route's body into memory before the handler sees it: 415 unless it is JSON, 413 once it passes the route's limit
/// (whether or not it declared a length), so a handler never parses, or schedules from, a body it should have refused.
/// </summary>
public sealed partial class JsonBodyGuard(RequestBodyKind kind) : IEndpointFilter
{
    private const int ChunkBytes = 16 * 1024;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        HttpContext http = context.HttpContext;
        long limit = http.RequestServices.GetRequiredService<IOptions<RequestBodyLimitOptions>>().Value.For(kind);
        ILogger logger = http.RequestServices.GetRequiredService<ILogger<JsonBodyGuard>>();
        return await RefuseAsync(http, limit, logger) ?? await next(context);
    }

    /// <summary>
    /// The guard as one call, for hosts without endpoint filters (the Functions app calls it first thing in each POST
    /// function): the 413/415 problem to answer, or null with the body buffered in memory for the handler to read.
    /// </summary>
    public static async Task<IResult?> RefuseAsync(HttpContext http, long limit, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(logger);
        HttpRequest request = http.Request;
        if (!HasBody(http))
        {
            return null;
        }

        if (!IsJson(request.ContentType))
        {
            LogRefused(logger, request.Method, request.Path.Value ?? "", StatusCodes.Status415UnsupportedMediaType);
            return IntakeResponses.Problem(
                StatusCodes.Status415UnsupportedMediaType,
                $"The body must be JSON: send 'Content-Type: application/json' (UTF-8), not '{request.ContentType}'.");
        }

        if (request.ContentLength > limit)
        {
            return TooLarge(http, logger, limit);
        }

        // The count is ours, not Kestrel's per-request maximum: Kestrel refuses a chunked body well before its framing-free
        // length reaches that maximum, which would make the limit depend on how the client chunked. Kestrel's server-wide
        // maximum (the largest route limit) still stops a body no guard reads.
        MemoryStream? body = await ReadUpToAsync(request.Body, limit, http.RequestAborted);
        if (body is null)
        {
            return TooLarge(http, logger, limit);
        }

        request.Body = body;
        http.Response.RegisterForDispose(body);
        return null;
    }

    /// <summary>True for <c>application/json</c>, with no charset or UTF-8 (the only one the API decodes).</summary>
    public static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out MediaTypeHeaderValue? type)
        && type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
        && (!type.Charset.HasValue || type.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase));

    private static bool HasBody(HttpContext http) =>
        http.Request.ContentLength is { } length
            ? length > 0
            : http.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? false;

    /// <summary>The body buffered, or null once it passes <paramref name="limit"/>.</summary>
    private static async Task<MemoryStream?> ReadUpToAsync(Stream source, long limit, CancellationToken cancellationToken)
    {
        var buffered = new MemoryStream();
        byte[] chunk = new byte[ChunkBytes];
        try
        {
            int read;
            while ((read = await source.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffered.Length + read > limit)
                {
                    await buffered.DisposeAsync();
                    return null;
                }

                buffered.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await buffered.DisposeAsync();
            return null;
        }

        buffered.Position = 0;
        return buffered;
    }

    private static IResult TooLarge(HttpContext http, ILogger logger, long limit)
    {
        LogRefused(logger, http.Request.Method, http.Request.Path.Value ?? "", StatusCodes.Status413PayloadTooLarge);
        // The rest of an oversize body is not worth reading: close the connection rather than drain it.
        http.Response.Headers.Connection = "close";
        return Results.Problem(
            detail: $"The request body is larger than this route's limit of {limit} bytes ({Describe(limit)}).",
            statusCode: StatusCodes.Status413PayloadTooLarge,
            extensions: new Dictionary<string, object?> { ["limitBytes"] = limit });
    }

    private static string Describe(long bytes) => bytes % (1024 * 1024) == 0
        ? $"{bytes / (1024 * 1024)} MiB"
        : bytes % 1024 == 0 ? $"{bytes / 1024} KiB" : $"{bytes} bytes";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused {Method} {Path}: {Status}")]
    private static partial void LogRefused(ILogger logger, string method, string path, int status);
}
