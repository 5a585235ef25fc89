using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Remediation.Intake;
using Remediation.Intake.Runs;
using Remediation.Server;
using Remediation.Tests.Fixture;
using Remediation.Tests.Server.DurableRuntime;
using Xunit;

namespace Remediation.Tests.Server.Api;

[Trait("Category", "EndToEnd")]
[Collection(TargetHostCollection.Name)]
public sealed class RemediationApiEndToEndTests(TargetHostFixture fixture) : IAsyncLifetime, IDisposable
{
    private readonly string _taskHub = TestRuntime.NewTaskHubName();
    private WebApplication? _app;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Durable:StorageConnectionString"] = fixture.Facts.StorageConnectionString,
            ["Durable:TaskHubName"] = _taskHub,
            ["Durable:WorkerId"] = "api-test",
        });
        builder.Services.AddRemediationServer();
        // The fake intake below has no inventory behind it, and the maintenance timer needs one: not what these tests check.
        builder.Services.Remove(builder.Services.Single(d => d.ImplementationType?.Name == "MaintenanceTimerService"));
        builder.Services.AddSingleton(TestRuntime.Tasks);
        builder.Services.AddScoped(_ => new Salutation("Hello"));
        builder.Services.AddSingleton<IRemediationIntake, ApprovalIntake>();
        builder.Services.AddSingleton<RemediationRuns>();   // what AddRemediationCore registers beside the real intake

        _app = builder.Build();
        _app.UseRemediationServer();
        await _app.StartAsync();
        _http = new HttpClient { BaseAddress = new Uri(_app.Urls.Single()) };
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        await TestRuntime.DeleteTaskHubAsync(fixture.Facts.StorageConnectionString, _taskHub);
    }

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task Healthz_RuntimeStarted_Is200()
    {
        HttpResponseMessage response = await _http.GetAsync(new Uri("/healthz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task PostRemediation_Rejected_IsProblemWithIntakeStatus()
    {
        HttpResponseMessage response = await PostAsync("/api/remediations", ApprovalIntake.RejectedBody);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        JsonElement problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("'reject' is not a known procedure", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task PostRemediation_ThenApprove_CompletesThroughStatusAndEventUrls()
    {
        HttpResponseMessage started = await PostAsync("/api/remediations", """{ "target": "odoo" }""");

        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        JsonElement accepted = await started.Content.ReadFromJsonAsync<JsonElement>();
        string id = accepted.GetProperty("id").GetString()!;
        Assert.False(accepted.GetProperty("joinedExisting").GetBoolean());
        Assert.Equal($"/api/remediations/{id}", started.Headers.Location?.OriginalString);
        string statusUri = accepted.GetProperty("statusQueryGetUri").GetString()!;
        Assert.Equal(new Uri(_http.BaseAddress!, $"/api/remediations/{id}"), new Uri(statusUri));

        JsonElement waiting = await PollStatusAsync(statusUri, view => view.GetProperty("progress").ValueKind == JsonValueKind.Object);
        Assert.Equal("waiting for approval", waiting.GetProperty("progress").GetProperty("step").GetString());

        string raiseEvent = accepted.GetProperty("raiseEventPostUri").GetString()!;
        HttpResponseMessage badName = await PostAsync(raiseEvent.Replace("{eventName}", "not%20valid", StringComparison.Ordinal), "");
        Assert.Equal(HttpStatusCode.BadRequest, badName.StatusCode);
        HttpResponseMessage approved = await PostAsync(raiseEvent.Replace("{eventName}", "approval", StringComparison.Ordinal), """{ "by": "ops" }""");
        Assert.Equal(HttpStatusCode.Accepted, approved.StatusCode);

        JsonElement done = await PollStatusAsync(statusUri, view => view.GetProperty("runtimeStatus").GetString() == "Completed");
        Assert.Equal("odoo approved: Hello, ops!", done.GetProperty("result").GetString());

        HttpResponseMessage lateEvent = await PostAsync(raiseEvent.Replace("{eventName}", "approval", StringComparison.Ordinal), """{ "by": "ops" }""");
        Assert.Equal(HttpStatusCode.Conflict, lateEvent.StatusCode);
        HttpResponseMessage lateTerminate = await PostAsync($"/api/remediations/{id}/terminate?reason=late", "");
        Assert.Equal(HttpStatusCode.Conflict, lateTerminate.StatusCode);
    }

    [Fact]
    public async Task PostTerminate_Running_TerminatesTheRun()
    {
        HttpResponseMessage started = await PostAsync("/api/remediations", """{ "target": "nginx" }""");
        JsonElement accepted = await started.Content.ReadFromJsonAsync<JsonElement>();
        string statusUri = accepted.GetProperty("statusQueryGetUri").GetString()!;
        string terminate = accepted.GetProperty("terminatePostUri").GetString()!.Replace("{text}", "operator%20abort", StringComparison.Ordinal);

        HttpResponseMessage response = await PostAsync(terminate, "");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        JsonElement done = await PollStatusAsync(statusUri, view => view.GetProperty("runtimeStatus").GetString() == "Terminated");
        Assert.Equal("operator abort", done.GetProperty("result").GetString());
    }

    [Theory]
    [InlineData("GET", "/api/remediations/no-such-run")]
    [InlineData("POST", "/api/remediations/no-such-run/terminate")]
    [InlineData("POST", "/api/remediations/no-such-run/events/approval")]
    public async Task UnknownRemediation_Is404ProblemNamingTheId(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));

        HttpResponseMessage response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        JsonElement problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("There is no remediation with id 'no-such-run'.", problem.GetProperty("detail").GetString());
    }

    private Task<HttpResponseMessage> PostAsync(string uri, string body) =>
        _http.PostAsync(new Uri(uri, UriKind.RelativeOrAbsolute), new StringContent(body, Encoding.UTF8, "application/json"));

    private async Task<JsonElement> PollStatusAsync(string statusUri, Func<JsonElement, bool> until)
    {
        var elapsed = Stopwatch.StartNew();
        JsonElement view = default;
        while (elapsed.Elapsed < TestRuntime.CompletionTimeout)
        {
            HttpResponseMessage response = await _http.GetAsync(new Uri(statusUri));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            view = await response.Content.ReadFromJsonAsync<JsonElement>();
            if (until(view))
            {
                return view;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"{statusUri} did not reach the expected state within {TestRuntime.CompletionTimeout}; last: {view}");
    }
}
