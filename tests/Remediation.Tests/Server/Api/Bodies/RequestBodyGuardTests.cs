using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Remediation.Intake;
using Remediation.Server.Api;
using Remediation.Server.Api.Bodies;
using Remediation.Tests.Ssh;
using Xunit;

namespace Remediation.Tests.Server.Api.Bodies;

/// <summary>The API's POST routes behind real Kestrel: oversize and non-JSON bodies are refused before the intake sees them.</summary>
[Trait("Category", "Unit")]
public sealed class RequestBodyGuardTests : IAsyncLifetime, IDisposable
{
    private const long MiB = 1024 * 1024;
    private readonly RecordingIntake _intake = new();
    private readonly RecordingLoggerProvider _log = new();
    private WebApplication _app = null!;
    private Uri _server = null!;

    public async Task InitializeAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(_log);
        builder.Services.AddRemediationApi();
        builder.Services.AddSingleton<IRemediationIntake>(_intake);
        _app = builder.Build();
        _app.UseExceptionHandler();
        _app.UseStatusCodePages();
        _app.MapRemediationApi();
        await _app.StartAsync();
        _server = new Uri(_app.Urls.Single());
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public void Dispose() => _log.Dispose();

    [Fact]
    public async Task Post_40MiBBody_Is413ProblemNamingTheLimit()
    {
        (int status, string response) = await PostAsync(RawHttp.Fixed(40 * MiB, (byte)'{'), 40 * MiB);

        Assert.Equal(413, status);
        Assert.Equal(RequestBodyLimitOptions.DefaultApiBytes, Problem(response).GetProperty("limitBytes").GetInt64());
        Assert.Contains("262144 bytes (256 KiB)", Problem(response).GetProperty("detail").GetString(), StringComparison.Ordinal);
        AssertNothingReachedTheIntake();
    }

    [Fact]
    public async Task Post_10MiBOfWhitespace_Is413()
    {
        (int status, string response) = await PostAsync(RawHttp.Fixed(10 * MiB, (byte)' '), 10 * MiB);

        Assert.Equal(413, status);
        Assert.Equal(413, Problem(response).GetProperty("status").GetInt32());
        AssertNothingReachedTheIntake();
    }

    [Fact]
    public async Task Post_ChunkedOverTheLimit_Is413()
    {
        (int status, string response) = await RawHttp.SendAsync(_server, Head("application/json", "Transfer-Encoding: chunked"), RawHttp.Chunked(2 * MiB, (byte)' '));

        Assert.Equal(413, status);
        Assert.Equal(RequestBodyLimitOptions.DefaultApiBytes, Problem(response).GetProperty("limitBytes").GetInt64());
        AssertNothingReachedTheIntake();
    }

    [Fact]
    public async Task Post_ChunkedJustUnderTheLimit_ReachesTheIntake()
    {
        (int status, string response) = await RawHttp.SendAsync(_server, Head("application/json", "Transfer-Encoding: chunked"), RawHttp.Chunked(RequestBodyLimitOptions.DefaultApiBytes, (byte)' '));

        Assert.True(status == 422, response);
        Assert.Equal(1, _intake.Started);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/json; charset=latin1")]
    [InlineData("")]
    public async Task Post_NotJson_Is415(string contentType)
    {
        const string body = """{"target":"demo","procedure":"verify"}""";
        string extra = $"Content-Length: {body.Length}";
        (int status, string response) = await RawHttp.SendAsync(_server, Head(contentType, extra), RawHttp.Text(body));

        Assert.Equal(415, status);
        Assert.Contains("application/json", Problem(response).GetProperty("detail").GetString(), StringComparison.Ordinal);
        AssertNothingReachedTheIntake();
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("Application/JSON; charset=UTF-8")]
    public async Task Post_Json_ReachesTheIntake(string contentType)
    {
        const string body = """{"target":"demo","procedure":"verify"}""";
        (int status, string response) = await RawHttp.SendAsync(_server, Head(contentType, $"Content-Length: {body.Length}"), RawHttp.Text(body));

        Assert.Equal(422, status);
        Assert.Equal($"reached the intake with {body.Length} characters", Problem(response).GetProperty("detail").GetString());
    }

    private Task<(int Status, string Response)> PostAsync(Func<Stream, Task> body, long length) =>
        RawHttp.SendAsync(_server, Head("application/json", $"Content-Length: {length}"), body);

    private string Head(string contentType, string extra) =>
        $"POST /api/remediations HTTP/1.1\nHost: {_server.Authority}\n" + (contentType.Length > 0 ? $"Content-Type: {contentType}\n" : "") + extra + "\n";

    private static JsonElement Problem(string response)
    {
        Assert.Contains("Content-Type: application/problem+json", response, StringComparison.OrdinalIgnoreCase);
        return JsonDocument.Parse(RawHttp.Body(response)).RootElement;
    }

    private void AssertNothingReachedTheIntake()
    {
        Assert.Equal(0, _intake.Started);
        Assert.DoesNotContain(_log.Messages, line => line.Contains("Exception", StringComparison.Ordinal) || line.Contains("   at ", StringComparison.Ordinal));
    }
}
