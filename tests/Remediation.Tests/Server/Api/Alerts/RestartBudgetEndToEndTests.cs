using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Remediation.Tests.EndToEnd;
using Remediation.Tests.Fixture;
using Remediation.Tests.Intake.Alerts;
using Xunit;
using Xunit.Abstractions;

namespace Remediation.Tests.Server.Api.Alerts;

/// <summary>The restart budget and escalations live in Blob Storage: a server killed and replaced (another process, another task hub) still counts the restarts before it, and a repeated alert pages nobody twice.</summary>
[Trait("Category", "EndToEnd")]
[Collection(TargetHostCollection.Name)]
public sealed class RestartBudgetEndToEndTests(TargetHostFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _token = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));

    public Task InitializeAsync() => fixture.RestoreBaselineAsync();

    public Task DisposeAsync() => fixture.RestoreBaselineAsync();

    [Fact]
    public async Task BudgetOfOne_ServerKilledAndReplaced_TheNextAlertEscalatesWithoutRestarting()
    {
        // Storage of the test's own: the ledger of demo's Odoo starts empty, whatever other tests restarted.
        await using PrivateAzurite azurite = await PrivateAzurite.StartAsync(Path.Combine(fixture.Facts.StateDirectory, "e2e"));
        long supervisorLog = fixture.SupervisorLogLength();
        string firstHub = EndToEndServer.NewHub();
        ServerProcess first = await StartAsync(firstHub, azurite);
        string started;
        try
        {
            JsonNode outcome = await PostAsync(first, "first");
            Assert.Equal("started", outcome["action"]!.GetValue<string>());
            started = outcome["runId"]!.GetValue<string>();
            using var api = new RemediationApiClient(first.BaseAddress);
            JsonNode run = await api.WaitUntilFinishedAsync(started, TimeSpan.FromSeconds(120));
            Assert.Equal("Succeeded", run["result"]!["outcome"]!.GetValue<string>());
            await first.KillAsync();
        }
        finally
        {
            await first.DisposeAsync();
        }

        await using ServerProcess second = await StartAsync(EndToEndServer.NewHub(), azurite);
        JsonNode again = await PostAsync(second, "second");
        output.WriteLine(again.ToJsonString());

        Assert.Equal("escalated", again["action"]!.GetValue<string>());
        Assert.Contains("restart budget exhausted: odoo was restarted 1 time(s) in the last 60 min (limit 1)", again["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        using var api2 = new RemediationApiClient(second.BaseAddress);
        JsonNode escalation = await api2.WaitUntilFinishedAsync(again["runId"]!.GetValue<string>(), TimeSpan.FromSeconds(60));
        Assert.Equal("Escalated", escalation["result"]!["outcome"]!.GetValue<string>());

        // Alertmanager repeats the notification: counted on that escalation (in storage), nobody paged again.
        JsonNode repeat = await PostAsync(second, "third");
        output.WriteLine(repeat.ToJsonString());
        Assert.Equal(("escalated", again["runId"]!.GetValue<string>()), (repeat["action"]!.GetValue<string>(), repeat["runId"]!.GetValue<string>()));
        Assert.Contains("already escalated by run " + again["runId"]!.GetValue<string>(), repeat["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(1, fixture.CountSupervisorSpawns("odoo", supervisorLog));
    }

    private Task<ServerProcess> StartAsync(string hub, PrivateAzurite azurite) =>
        EndToEndServer.StartAsync(fixture, hub, EndToEndServer.WriteInventory(fixture, hub), workerId: hub, storage: azurite.ConnectionString, settings: AlertRoutingSettings.OdooDown(_token, maxRestarts: 1));

    /// <summary>Posts the sample firing OdooDown notification with a fingerprint of its own and returns its one outcome.</summary>
    private async Task<JsonNode> PostAsync(ServerProcess server, string fingerprintSeed)
    {
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        string fingerprint = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(fingerprintSeed)))[..16];
        string payload = AlertPayloads.Read("alertmanager-firing").Replace("c6eadffa33fcdf37", fingerprint, StringComparison.Ordinal);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/alerts/alertmanager", UriKind.Relative))
        {
            Content = new StringContent(payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        using HttpResponseMessage response = await http.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!["alerts"]![0]!;
    }
}
