using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Remediation.Intake;
using Remediation.Server.Api;
using Xunit;

namespace Remediation.Tests.Server.Api;

[Trait("Category", "Unit")]
public sealed class IntakeResponsesTests
{
    [Theory]
    [InlineData(400, "The request body is not valid JSON", "Bad Request")]
    [InlineData(404, "Target 'prod-9' is not in the inventory", "Not Found")]
    [InlineData(409, "A freeze window blocks automatic remediation", "Conflict")]
    [InlineData(422, "'reboot-everything' is not a known procedure", "Unprocessable Entity")]
    public async Task Started_Rejected_IsProblemJsonWithStatusAndMessage(int status, string error, string title)
    {
        HttpContext context = NewContext();

        await IntakeResponses.Started(IntakeResult.Rejected(status, error), context.Request).ExecuteAsync(context);

        Assert.Equal(status, context.Response.StatusCode);
        Assert.StartsWith("application/problem+json", context.Response.ContentType, StringComparison.Ordinal);
        JsonElement problem = await ReadJsonAsync(context);
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.Equal(title, problem.GetProperty("title").GetString());
        Assert.Equal(error, problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Started_Accepted_Is202WithLocationAndManagementUrls(bool joined)
    {
        HttpContext context = NewContext();

        await IntakeResponses.Started(IntakeResult.Started("restart-service-demo-odoo-1", joined), context.Request).ExecuteAsync(context);

        Assert.Equal(StatusCodes.Status202Accepted, context.Response.StatusCode);
        Assert.Equal("/api/remediations/restart-service-demo-odoo-1", context.Response.Headers.Location.ToString());
        JsonElement body = await ReadJsonAsync(context);
        string status = "http://ops.example:7071/api/remediations/restart-service-demo-odoo-1";
        Assert.Equal("restart-service-demo-odoo-1", body.GetProperty("id").GetString());
        Assert.Equal(joined, body.GetProperty("joinedExisting").GetBoolean());
        Assert.Equal(status, body.GetProperty("statusQueryGetUri").GetString());
        Assert.Equal(status + "/terminate?reason={text}", body.GetProperty("terminatePostUri").GetString());
        Assert.Equal(status + "/events/{eventName}", body.GetProperty("raiseEventPostUri").GetString());
    }

    [Fact]
    public async Task Started_IdNeedingEscape_IsEscapedInUrls()
    {
        HttpContext context = NewContext();

        await IntakeResponses.Started(IntakeResult.Started("a b:c", joinedExisting: false), context.Request).ExecuteAsync(context);

        Assert.Equal("/api/remediations/a%20b%3Ac", context.Response.Headers.Location.ToString());
    }

    [Fact]
    public async Task View_Missing_Is404ProblemNamingTheId()
    {
        HttpContext context = NewContext();

        await IntakeResponses.View("restart-service-demo-odoo-9", view: null).ExecuteAsync(context);

        Assert.Equal(StatusCodes.Status404NotFound, context.Response.StatusCode);
        JsonElement problem = await ReadJsonAsync(context);
        Assert.Equal("There is no remediation with id 'restart-service-demo-odoo-9'.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task View_Found_Is200CamelCaseJson()
    {
        HttpContext context = NewContext();
        var view = new RemediationView { Id = "r1", Procedure = "restart-service", RuntimeStatus = "Running" };

        await IntakeResponses.View("r1", view).ExecuteAsync(context);

        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        JsonElement body = await ReadJsonAsync(context);
        Assert.Equal("Running", body.GetProperty("runtimeStatus").GetString());
    }

    [Theory]
    [InlineData("restart-service-demo-odoo-20261125T101500000Z-1a2b3c", true)]
    [InlineData("", false)]
    [InlineData("a/b", false)]
    [InlineData("a#b", false)]
    [InlineData("a?b", false)]
    [InlineData("a\u0001b", false)]
    public void CanExist_InstanceIdFromUrl_ScreensWhatTheTaskHubRefuses(string id, bool expected)
    {
        Assert.Equal(expected, InstanceIds.CanExist(id));
    }

    private static DefaultHttpContext NewContext()
    {
        var context = new DefaultHttpContext
        {
            RequestServices = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider(),
        };
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("ops.example", 7071);
        context.Response.Body = new MemoryStream();
        return context;
    }

    private static async Task<JsonElement> ReadJsonAsync(HttpContext context)
    {
        context.Response.Body.Position = 0;
        using JsonDocument document = await JsonDocument.ParseAsync(context.Response.Body);
        return document.RootElement.Clone();
    }
}
