using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Azure.Storage.Blobs;
using Remediation.Intake.Alerts;
using Remediation.Tests.EndToEnd;
using Remediation.Tests.Fixture;
using Remediation.Tests.Intake.Alerts;
using Xunit;
using Xunit.Abstractions;

namespace Remediation.Tests.Server.Api.Alerts;

/// <summary>
/// The alert webhooks of the real server process: each source's credentials (401 without them), the body guard (415, 413),
/// a malformed payload (400) — none of which schedules anything — and a firing Alertmanager alert restarting Odoo on the real target once.
/// </summary>
[Trait("Category", "EndToEnd")]
[Collection(TargetHostCollection.Name)]
public sealed class AlertWebhooksEndToEndTests(TargetHostFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _token = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
    private readonly string _password = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
    private readonly string _secret = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));

    public Task InitializeAsync() => fixture.RestoreBaselineAsync();

    public Task DisposeAsync() => fixture.RestoreBaselineAsync();

    [Fact]
    public async Task Webhooks_RefuseWithoutCredentialsOrWithBadBodies_ThenAFiringAlertRestartsOdooOnce()
    {
        string hub = EndToEndServer.NewHub();
        await using ServerProcess server = await EndToEndServer.StartAsync(fixture, hub, EndToEndServer.WriteInventory(fixture, hub), settings: Settings(new Dictionary<string, string>
        {
            ["Alerts:Webhooks:grafana:Username"] = "grafana",
            ["Alerts:Webhooks:grafana:Password"] = _password,
            ["Alerts:Webhooks:azure-monitor:Secret"] = _secret,
        }));
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        string firing = AlertPayloads.Read("alertmanager-firing");
        AuthenticationHeaderValue bearer = new("Bearer", _token);

        // Without credentials, or with wrong ones: 401 on every source, naming how to authenticate.
        (HttpStatusCode none, string noneBody) = await PostAsync(http, "alertmanager", firing);
        (HttpStatusCode wrongToken, _) = await PostAsync(http, "alertmanager", firing, new AuthenticationHeaderValue("Bearer", "not-" + _token));
        (HttpStatusCode wrongPassword, _) = await PostAsync(http, "grafana", AlertPayloads.Read("grafana-firing"), Basic("grafana", "wrong"));
        (HttpStatusCode noSecret, _) = await PostAsync(http, "azure-monitor", AlertPayloads.Read("azure-metric-fired"));
        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), (none, wrongToken, wrongPassword, noSecret));
        output.WriteLine(noneBody);

        // With credentials but a body that is not one: 415, 413, 400.
        (HttpStatusCode text, _) = await PostAsync(http, "alertmanager", firing, bearer, "text/plain");
        (HttpStatusCode big, _) = await PostAsync(http, "alertmanager", "[" + new string(' ', 2 * 1024 * 1024) + "]", bearer);
        (HttpStatusCode malformed, string malformedBody) = await PostAsync(http, "alertmanager", firing[..(firing.Length / 2)], bearer);
        Assert.Equal((HttpStatusCode.UnsupportedMediaType, HttpStatusCode.RequestEntityTooLarge, HttpStatusCode.BadRequest), (text, big, malformed));
        Assert.Contains("Not a valid alertmanager webhook payload", malformedBody, StringComparison.Ordinal);

        // Right credentials, no rule for the alert: 202 and recorded as ignored.
        (HttpStatusCode grafana, string grafanaBody) = await PostAsync(http, "grafana", AlertPayloads.Read("grafana-firing"), Basic("grafana", _password));
        (HttpStatusCode azure, _) = await PostAsync(http, $"azure-monitor?secret={_secret}", AlertPayloads.Read("azure-metric-fired"));
        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Accepted), (grafana, azure));
        Assert.Equal("ignored", JsonNode.Parse(grafanaBody)!["alerts"]![0]!["action"]!.GetValue<string>());
        Assert.Equal(0, await TaskHubInstances.CountAsync(fixture.Facts.StorageConnectionString, hub));

        // A firing alert a rule routes: one restart of Odoo on the real target.
        long supervisorLog = fixture.SupervisorLogLength();
        (HttpStatusCode started, string startedBody) = await PostAsync(http, "alertmanager", firing, bearer);
        output.WriteLine(startedBody);
        Assert.Equal(HttpStatusCode.Accepted, started);
        JsonNode outcome = JsonNode.Parse(startedBody)!["alerts"]![0]!;
        Assert.Equal("started", outcome["action"]!.GetValue<string>());
        using var api = new RemediationApiClient(server.BaseAddress);
        JsonNode run = await api.WaitUntilFinishedAsync(outcome["runId"]!.GetValue<string>(), TimeSpan.FromSeconds(120));
        output.WriteLine(run.ToJsonString());
        Assert.Equal("Completed", run["runtimeStatus"]!.GetValue<string>());
        Assert.Equal("Succeeded", run["result"]!["outcome"]!.GetValue<string>());
        Assert.Equal(1, fixture.CountSupervisorSpawns("odoo", supervisorLog));
        Assert.Equal(1, await TaskHubInstances.CountAsync(fixture.Facts.StorageConnectionString, hub));
        Assert.DoesNotContain("   at ", server.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(_token, server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RealAlertmanager_FiringThenResolved_RestartsOdooOnceAndFilesTheResolution()
    {
        string hub = EndToEndServer.NewHub();
        await using ServerProcess server = await EndToEndServer.StartAsync(fixture, hub, EndToEndServer.WriteInventory(fixture, hub), settings: Settings());
        await using AlertmanagerProcess alertmanager = await AlertmanagerProcess.StartAsync(Path.Combine(fixture.Facts.StateDirectory, "e2e"), server.BaseAddress, _token);
        using var api = new RemediationApiClient(server.BaseAddress);
        var labels = new Dictionary<string, string> { ["alertname"] = "OdooDown", ["target"] = "demo", ["job"] = "odoo", ["severity"] = "warning", ["instance"] = "demo:8069" };
        DateTimeOffset startsAt = DateTimeOffset.UtcNow.AddMinutes(-1);
        long supervisorLog = fixture.SupervisorLogLength();

        await alertmanager.PostAlertAsync(labels, startsAt);
        await WaitForAsync(() => ReceiptLine(server.Output, 1) is not null, "Alertmanager's firing notification", alertmanager);
        string id = Assert.Single(await RunsOnDemoAsync(api));
        JsonNode run = await api.WaitUntilFinishedAsync(id, TimeSpan.FromSeconds(120));
        output.WriteLine(run.ToJsonString());

        Assert.Equal("Completed", run["runtimeStatus"]!.GetValue<string>());
        Assert.Equal("Succeeded", run["result"]!["outcome"]!.GetValue<string>());
        Assert.Equal(1, fixture.CountSupervisorSpawns("odoo", supervisorLog));
        JsonNode trigger = run["result"]!["trigger"]!;
        Assert.Equal("alertmanager", trigger["source"]!.GetValue<string>());
        Assert.Equal(Assert.Single(await alertmanager.FingerprintsAsync()), trigger["sourceFingerprint"]!.GetValue<string>());

        // Prometheus stops sending it with an end time: Alertmanager sends the resolved notification, which is filed, not acted on.
        await alertmanager.PostAlertAsync(labels, startsAt, endsAt: DateTimeOffset.UtcNow.AddSeconds(-1));
        await WaitForAsync(() => ReceiptLine(server.Output, 2) is not null, "Alertmanager's resolved notification", alertmanager);
        string receiptId = ReceiptLine(server.Output, 2)!;
        AlertReceipt receipt = (await new BlobAlertReceipts(new BlobServiceClient(fixture.Facts.StorageConnectionString), TimeProvider.System).ReadAsync(receiptId, CancellationToken.None))!;
        AlertOutcome resolved = Assert.Single(receipt.Alerts);
        output.WriteLine($"{resolved.Status} {resolved.Action}: {resolved.Reason}");
        Assert.Equal(("resolved", trigger["sourceFingerprint"]!.GetValue<string>()), (resolved.Status, resolved.SourceFingerprint));
        Assert.Single(await RunsOnDemoAsync(api));
        Assert.Equal(1, fixture.CountSupervisorSpawns("odoo", supervisorLog));
    }

    /// <summary>The receipt id of the server's <paramref name="nth"/> filed alert notification, from its log; null until there is one.</summary>
    private static string? ReceiptLine(string serverOutput, int nth)
    {
        MatchCollection filed = Regex.Matches(serverOutput, @"Alert notification from alertmanager filed as (?<id>[A-Za-z0-9.-]+):");
        return filed.Count >= nth ? filed[nth - 1].Groups["id"].Value : null;
    }

    private static async Task WaitForAsync(Func<bool> done, string what, AlertmanagerProcess alertmanager)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!done())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException($"{what} did not arrive within 30 s; Alertmanager said:\n{alertmanager.Output}");
            }

            await Task.Delay(200);
        }
    }

    private static async Task<IReadOnlyList<string>> RunsOnDemoAsync(RemediationApiClient api)
    {
        (HttpStatusCode status, string text, _) = await api.GetRawAsync("/api/remediations?target=demo");
        Assert.Equal(HttpStatusCode.OK, status);
        return [.. JsonNode.Parse(text)!["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>())];
    }

    // The budget counts every restart of demo's Odoo in the last hour, whichever test's task hub made it: far more than 3.
    private Dictionary<string, string> Settings(Dictionary<string, string>? more = null)
    {
        Dictionary<string, string> settings = AlertRoutingSettings.OdooDown(_token, maxRestarts: 1000);
        foreach ((string key, string value) in more ?? [])
        {
            settings[key] = value;
        }

        return settings;
    }

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    private static async Task<(HttpStatusCode Status, string Body)> PostAsync(
        HttpClient http, string source, string body, AuthenticationHeaderValue? credentials = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/alerts/" + source, UriKind.Relative))
        {
            Content = new StringContent(body, Encoding.UTF8, contentType),
        };
        request.Headers.Authorization = credentials;
        using HttpResponseMessage response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
