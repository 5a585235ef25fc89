using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Remediation.Server.Api.Bodies;
using Xunit;

namespace Remediation.Tests.Server.Api.Bodies;

/// <summary><see cref="JsonBodyGuard.RefuseAsync"/>, the call the Functions app makes first in every POST function: the same 413/415 as the server's filter.</summary>
[Trait("Category", "Unit")]
public sealed class JsonBodyGuardCallTests
{
    private const long Limit = 1024;

    [Fact]
    public async Task RefuseAsync_DeclaredLengthOverTheLimit_Is413WithTheLimit()
    {
        HttpContext http = Request("application/json", new string(' ', 2048), declareLength: true);

        (int status, JsonElement problem) = await ExecuteAsync(http, await JsonBodyGuard.RefuseAsync(http, Limit, NullLogger.Instance));

        Assert.Equal(413, status);
        Assert.Equal(Limit, problem.GetProperty("limitBytes").GetInt64());
    }

    [Fact]
    public async Task RefuseAsync_UndeclaredLengthOverTheLimit_Is413()
    {
        HttpContext http = Request("application/json", new string(' ', 4096), declareLength: false);

        (int status, _) = await ExecuteAsync(http, await JsonBodyGuard.RefuseAsync(http, Limit, NullLogger.Instance));

        Assert.Equal(413, status);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/json; charset=latin1")]
    public async Task RefuseAsync_NotJson_Is415(string contentType)
    {
        HttpContext http = Request(contentType, "{}", declareLength: true);

        (int status, _) = await ExecuteAsync(http, await JsonBodyGuard.RefuseAsync(http, Limit, NullLogger.Instance));

        Assert.Equal(415, status);
    }

    [Fact]
    public async Task RefuseAsync_JsonUnderTheLimit_IsNullAndLeavesTheBodyToRead()
    {
        HttpContext http = Request("application/json; charset=utf-8", "{\"target\":\"demo\"}", declareLength: false);

        IResult? refusal = await JsonBodyGuard.RefuseAsync(http, Limit, NullLogger.Instance);

        Assert.Null(refusal);
        using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
        Assert.Equal("{\"target\":\"demo\"}", await reader.ReadToEndAsync());
    }

    [Fact]
    public async Task RefuseAsync_NoBody_IsNull()
    {
        HttpContext http = Request("", "", declareLength: true);

        Assert.Null(await JsonBodyGuard.RefuseAsync(http, Limit, NullLogger.Instance));
    }

    private static DefaultHttpContext Request(string contentType, string body, bool declareLength)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(body);
        var http = new DefaultHttpContext();
        http.Request.Method = "POST";
        http.Request.Path = "/api/remediations";
        http.Request.ContentType = contentType.Length == 0 ? null : contentType;
        http.Request.Body = new MemoryStream(bytes);
        if (declareLength)
        {
            http.Request.ContentLength = bytes.Length;
        }
        else
        {
            http.Features.Set<IHttpRequestBodyDetectionFeature>(new ChunkedBody());
        }

        return http;
    }

    /// <summary>Writes the refusal as the host would and reads back its status and problem body.</summary>
    private static async Task<(int Status, JsonElement Problem)> ExecuteAsync(HttpContext http, IResult? refusal)
    {
        Assert.NotNull(refusal);
        http.RequestServices = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        var response = new MemoryStream();
        http.Response.Body = response;
        await refusal.ExecuteAsync(http);
        using JsonDocument problem = JsonDocument.Parse(response.ToArray());
        return (http.Response.StatusCode, problem.RootElement.Clone());
    }

    /// <summary>A request with a body but no declared length (chunked).</summary>
    private sealed class ChunkedBody : IHttpRequestBodyDetectionFeature
    {
        public bool CanHaveBody => true;
    }
}
