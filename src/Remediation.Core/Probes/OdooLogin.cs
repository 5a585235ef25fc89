using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Remediation.Probes;

/// <summary>
/// Runbook "User Access Test": a login through Odoo's JSON-RPC <c>/web/session/authenticate</c>. Odoo answers 200 for
/// a wrong password too, with a JSON-RPC error (AccessDenied): only a <c>result.uid</c> is a login.
/// </summary>
public sealed class OdooLogin
{
    private readonly IHttpClientFactory _clients;
    private readonly TimeProvider _time;

    public OdooLogin(IHttpClientFactory clients, TimeProvider time)
    {
        _clients = clients;
        _time = time;
    }

    /// <summary>Signs in; the password is sent to Odoo and never appears in the result.</summary>
    public async Task<ProbeResult> LoginAsync(Uri site, string database, string login, string password, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(site);
        var url = new Uri(site, "/web/session/authenticate");
        var body = new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["method"] = "call",
            ["params"] = new JsonObject { ["db"] = database, ["login"] = login, ["password"] = password },
        };
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        long started = _time.GetTimestamp();
        try
        {
            using HttpResponseMessage response = await _clients.CreateClient(HttpProbe.ClientName).PostAsJsonAsync(url, body, deadline.Token);
            long ms = (long)_time.GetElapsedTime(started).TotalMilliseconds;
            if (!response.IsSuccessStatusCode)
            {
                return new ProbeResult(false, ms, $"login as {login} at {url}: HTTP {(int)response.StatusCode} in {ms} ms", (int)response.StatusCode);
            }

            JsonNode? answer = JsonNode.Parse(await response.Content.ReadAsStringAsync(deadline.Token));
            if (answer?["result"]?["uid"] is JsonValue uid && uid.TryGetValue(out int id) && id > 0)
            {
                return new ProbeResult(true, ms, $"login as {login} to {database} succeeded (uid {id}) in {ms} ms", 200);
            }

            string why = answer?["error"]?["data"]?["message"]?.GetValue<string>() ?? answer?["error"]?["message"]?.GetValue<string>() ?? "no uid in the answer";
            return new ProbeResult(false, ms, $"login as {login} to {database} refused: {why}", 200);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ProbeResult(false, (long)_time.GetElapsedTime(started).TotalMilliseconds, $"login as {login} at {url}: {ProbeFailure.TimedOut(timeout)}");
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or InvalidOperationException)
        {
            return new ProbeResult(false, (long)_time.GetElapsedTime(started).TotalMilliseconds, $"login as {login} at {url}: {e.Message}");
        }
    }
}
