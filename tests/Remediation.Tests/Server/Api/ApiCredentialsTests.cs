using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Remediation.Intake;
using Remediation.Server.Api;
using Xunit;

namespace Remediation.Tests.Server.Api;

/// <summary>Key limits (read-only, roles, procedures) and the credential filter's 401 / 403 answers.</summary>
[Trait("Category", "Unit")]
public sealed class ApiCredentialsTests : IDisposable
{
    private const string Full = "0123456789abcdef0123456789abcdef-full";
    private const string Reader = "0123456789abcdef0123456789abcdef-read";
    private const string Approver = "0123456789abcdef0123456789abcdef-appr";
    private readonly string _file = Path.GetTempFileName();

    public ApiCredentialsTests() => File.WriteAllLines(_file, [
        "portal:" + Full,
        "dashboard:" + Reader + " read-only",
        "bob:" + Approver + "  roles=read,approve procedures=restart-service,verify",
    ]);

    public void Dispose() => File.Delete(_file);

    [Fact]
    public void Identify_KeyOptions_GiveRolesAndProcedures()
    {
        var keys = new ApiKeys(Options.Create(new ApiKeyOptions { KeysFile = _file }));

        RequestCaller full = keys.Identify(Full)!;
        Assert.Equal(ApiRoles.All, full.Roles);
        Assert.Null(full.Procedures);
        Assert.Equal(ApiRoles.Read, keys.Identify(Reader)!.Roles);
        RequestCaller bob = keys.Identify(Approver)!;
        Assert.Equal("bob", bob.Name);
        Assert.Equal(ApiRoles.Read | ApiRoles.Approve, bob.Roles);
        Assert.True(bob.MayActOn("verify"));
        Assert.False(bob.MayActOn("restart-stack"));
        Assert.Equal("portal", keys.Authenticate(Full));
    }

    [Theory]
    [InlineData("x:" + Full + " roles=admin", "unknown role")]
    [InlineData("x:" + Full + " procedures=reboot", "not a known procedure")]
    [InlineData("x:" + Full + " everything", "unknown option")]
    public void Load_BadOption_NamesTheLine(string line, string message)
    {
        File.WriteAllLines(_file, ["portal:" + Full, line]);

        var error = Assert.Throws<InvalidOperationException>(() => ApiKeys.Load(_file));

        Assert.Contains("line 2", error.Message, StringComparison.Ordinal);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Full, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "operate", 401)]
    [InlineData("not-a-key-not-a-key-not-a-key-000", "read", 401)]
    [InlineData(Reader, "read", 200)]
    [InlineData(Reader, "operate", 403)]
    [InlineData(Reader, "approve", 403)]
    [InlineData(Approver, "approve", 200)]
    [InlineData(Approver, "operate", 403)]
    [InlineData(Full, "approve", 200)]
    public async Task Filter_CredentialAndRole_401Or403OrPassesTheCallerOn(string? key, string role, int expected)
    {
        var filter = new ApiKeyEndpointFilter(new ApiKeys(Options.Create(new ApiKeyOptions { KeysFile = _file })), Options.Create(new ApiJwtOptions()), NullLogger<ApiKeyEndpointFilter>.Instance);
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider() };
        context.Response.Body = new MemoryStream();
        if (key is not null)
        {
            context.Request.Headers[ApiKeyEndpointFilter.HeaderName] = key;
        }

        context.SetEndpoint(new Endpoint(null, new EndpointMetadataCollection(new RequiredRole(ApiRoleNames.Parse(role)!.Value)), "test"));
        RequestCaller? seen = null;

        object? result = await filter.InvokeAsync(new DefaultEndpointFilterInvocationContext(context), _ =>
        {
            seen = ApiCallers.Of(context);
            return ValueTask.FromResult<object?>(Results.Ok());
        });

        if (expected == 200)
        {
            Assert.NotNull(seen);
            Assert.NotNull(seen.Name);
            return;
        }

        Assert.Null(seen);
        await ((IResult)result!).ExecuteAsync(context);
        Assert.Equal(expected, context.Response.StatusCode);
        context.Response.Body.Position = 0;
        JsonElement problem = JsonDocument.Parse(context.Response.Body).RootElement;
        Assert.Equal(expected, problem.GetProperty("status").GetInt32());
    }
}
