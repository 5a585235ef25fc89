using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Remediation.Tests.EndToEnd;

/// <summary>The runbooks portal's side of the API: start a remediation, follow it until it finishes.</summary>
internal sealed class RemediationApiClient : IDisposable
{
    private readonly HttpClient _http;

    public RemediationApiClient(Uri baseAddress, string? apiKey = null)
    {
        _http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (apiKey is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", apiKey);
        }
    }

    public async Task<(HttpStatusCode Status, JsonNode? Body, Uri? Location)> PostAsync(string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await _http.PostAsync(new Uri("/api/remediations", UriKind.Relative), content);
        string text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), response.Headers.Location);
    }

    /// <summary>POSTs to one of a run's management routes (cancel, terminate, events/…).</summary>
    public async Task<(HttpStatusCode Status, JsonNode? Body)> PostToRunAsync(string id, string route, string? json = null)
    {
        using var content = new StringContent(json ?? "", Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await _http.PostAsync(new Uri($"/api/remediations/{id}/{route}", UriKind.Relative), content);
        string text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    /// <summary>Starts a remediation and returns its id; fails the test unless the server answered 202.</summary>
    public async Task<string> StartAsync(string json)
    {
        (HttpStatusCode status, JsonNode? body, Uri? location) = await PostAsync(json);
        if (status != HttpStatusCode.Accepted || location is null)
        {
            throw new InvalidOperationException($"expected 202 with Location, got {(int)status}: {body}");
        }

        return body!["id"]!.GetValue<string>();
    }

    public async Task<JsonNode> GetAsync(string id)
    {
        using HttpResponseMessage response = await _http.GetAsync(new Uri($"/api/remediations/{id}", UriKind.Relative));
        string text = await response.Content.ReadAsStringAsync();
        return response.StatusCode == HttpStatusCode.OK
            ? JsonNode.Parse(text)!
            : throw new InvalidOperationException($"GET {id}: {(int)response.StatusCode} {text}");
    }

    /// <summary>The run's restart log as the API serves it (markdown).</summary>
    public async Task<(HttpStatusCode Status, string Text, string? ContentType)> GetRestartLogAsync(string id)
    {
        using HttpResponseMessage response = await _http.GetAsync(new Uri($"/api/remediations/{id}/restart-log", UriKind.Relative));
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>Polls until the run is Completed, Failed or Terminated.</summary>
    public Task<JsonNode> WaitUntilFinishedAsync(string id, TimeSpan timeout) =>
        WaitForAsync(id, view => view["runtimeStatus"]!.GetValue<string>() is "Completed" or "Failed" or "Terminated", timeout, "finished");

    /// <summary>Polls until the run reports the given step as running.</summary>
    public Task<JsonNode> WaitForPhaseAsync(string id, string phase, TimeSpan timeout) =>
        WaitForAsync(id, view => view["progress"]?["phase"]?.GetValue<string>() == phase, timeout, $"in phase '{phase}'");

    /// <summary>Polls until the run has left the given step (or finished): the run's next step has begun.</summary>
    public Task<JsonNode> WaitUntilPastPhaseAsync(string id, string phase, TimeSpan timeout) =>
        WaitForAsync(
            id,
            view => view["progress"]?["phase"]?.GetValue<string>() != phase || view["runtimeStatus"]!.GetValue<string>() is "Completed" or "Failed" or "Terminated",
            timeout,
            $"past phase '{phase}'");

    /// <summary>One raw GET, for calls whose status is the point (503 while storage is down).</summary>
    public async Task<(HttpStatusCode Status, string Text, string? ContentType)> GetRawAsync(string path)
    {
        using HttpResponseMessage response = await _http.GetAsync(new Uri(path, UriKind.Relative));
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>Starts a fleet rollout (<c>POST /api/rollouts</c>) and returns its id; fails the test unless the server answered 202.</summary>
    public async Task<string> StartRolloutAsync(string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await _http.PostAsync(new Uri("/api/rollouts", UriKind.Relative), content);
        string text = await response.Content.ReadAsStringAsync();
        return response.StatusCode == HttpStatusCode.Accepted && response.Headers.Location is not null
            ? JsonNode.Parse(text)!["id"]!.GetValue<string>()
            : throw new InvalidOperationException($"POST /api/rollouts: expected 202 with Location, got {(int)response.StatusCode}: {text}");
    }

    /// <summary>Polls the rollout until it is Completed, Failed or Terminated.</summary>
    public async Task<JsonNode> WaitUntilRolloutFinishedAsync(string id, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        string last = "";
        while (clock.Elapsed < timeout)
        {
            using HttpResponseMessage response = await _http.GetAsync(new Uri($"/api/rollouts/{Uri.EscapeDataString(id)}", UriKind.Relative));
            last = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.OK && JsonNode.Parse(last)!["runtimeStatus"]!.GetValue<string>() is "Completed" or "Failed" or "Terminated")
            {
                return JsonNode.Parse(last)!;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"rollout {id} did not finish within {timeout}; last view: {last}");
    }

    public void Dispose() => _http.Dispose();

    /// <summary>Polls until <paramref name="done"/> holds for the run's status view.</summary>
    public async Task<JsonNode> WaitForAsync(string id, Func<JsonNode, bool> done, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        JsonNode? last = null;
        while (clock.Elapsed < timeout)
        {
            try
            {
                last = await GetAsync(id);
                if (done(last))
                {
                    return last;
                }
            }
            catch (HttpRequestException)
            {
                // The server may be restarting.
            }
            catch (InvalidOperationException)
            {
                // 503 while storage is unreachable: the run goes on once it answers.
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"run {id} was not {what} within {timeout}; last view: {last}");
    }
}
