using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Remediation.Tests.EndToEnd;

/// <summary>
/// A real Prometheus Alertmanager (Debian's prometheus-alertmanager) of the test's own: no cluster, its own storage,
/// one route to the server's Alertmanager webhook with a bearer token, grouped by alert name and target.
/// </summary>
internal sealed class AlertmanagerProcess : IAsyncDisposable
{
    public const string Executable = "/usr/bin/prometheus-alertmanager";

    private readonly Process _process;
    private readonly string _directory;
    private readonly StringBuilder _output = new();
    private readonly HttpClient _http;

    private AlertmanagerProcess(Process process, string directory, Uri address)
    {
        _process = process;
        _directory = directory;
        Address = address;
        _http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
    }

    public Uri Address { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<AlertmanagerProcess> StartAsync(string stateDirectory, Uri server, string bearerToken)
    {
        string directory = Path.Combine(stateDirectory, "alertmanager-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        string config = Path.Combine(directory, "alertmanager.yml");
        // group_wait/group_interval of 1 s: what production sets to tens of seconds, shortened so the test waits seconds.
        await File.WriteAllTextAsync(config, $"""
            route:
              receiver: remediation
              group_by: ['alertname', 'target']
              group_wait: 1s
              group_interval: 1s
              repeat_interval: 1h
            receivers:
              - name: remediation
                webhook_configs:
                  - url: '{new Uri(server, "/api/alerts/alertmanager")}'
                    send_resolved: true
                    http_config:
                      authorization:
                        type: Bearer
                        credentials: '{bearerToken}'
            """);
        int port = ServerProcess.FreePort();
        var start = new ProcessStartInfo(Executable,
            [$"--config.file={config}", $"--storage.path={Path.Combine(directory, "data")}", $"--web.listen-address=127.0.0.1:{port}", "--cluster.listen-address="])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process process = Process.Start(start) ?? throw new InvalidOperationException("Alertmanager did not start");
        var alertmanager = new AlertmanagerProcess(process, directory, new Uri($"http://127.0.0.1:{port}"));
        process.OutputDataReceived += (_, e) => alertmanager.Append(e.Data);
        process.ErrorDataReceived += (_, e) => alertmanager.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await alertmanager.WaitReadyAsync(TimeSpan.FromSeconds(30));
        return alertmanager;
    }

    /// <summary>What Prometheus does for a firing (or, with <paramref name="endsAt"/> in the past, resolved) alert: POST /api/v2/alerts.</summary>
    public async Task PostAlertAsync(IReadOnlyDictionary<string, string> labels, DateTimeOffset startsAt, DateTimeOffset? endsAt = null)
    {
        var alert = new JsonObject
        {
            ["labels"] = new JsonObject(labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value))),
            ["annotations"] = new JsonObject { ["summary"] = "Odoo is down on demo" },
            ["startsAt"] = startsAt.ToString("O"),
            ["generatorURL"] = "http://prometheus.example/graph?g0.expr=up%7Bjob%3D%22odoo%22%7D+%3D%3D+0",
        };
        if (endsAt is { } ends)
        {
            alert["endsAt"] = ends.ToString("O");
        }

        using HttpResponseMessage response = await _http.PostAsJsonAsync(new Uri("/api/v2/alerts", UriKind.Relative), new JsonArray(alert));
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Alertmanager refused the alert: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>The fingerprints Alertmanager gave the alerts it holds (GET /api/v2/alerts).</summary>
    public async Task<IReadOnlyList<string>> FingerprintsAsync()
    {
        JsonArray alerts = (await _http.GetFromJsonAsync<JsonArray>(new Uri("/api/v2/alerts", UriKind.Relative)))!;
        return [.. alerts.Select(a => a!["fingerprint"]!.GetValue<string>())];
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task WaitReadyAsync(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Alertmanager exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using HttpResponseMessage ready = await _http.GetAsync(new Uri("/-/ready", UriKind.Relative));
                if (ready.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Alertmanager was not ready within {timeout.TotalSeconds:0} s:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
