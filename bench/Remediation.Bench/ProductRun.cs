using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Remediation.Bench;

/// <summary>Variant "ours": <c>POST /api/remediations</c> with a benchmark's request body, then <c>GET /api/remediations/{id}</c> every 20 ms until Completed.</summary>
public sealed class ProductRun : IDisposable
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan RunDeadline = TimeSpan.FromMinutes(3);

    private readonly HttpClient _http;
    private readonly ServerLog? _serverLog;

    public ProductRun(Uri server, ServerLog? serverLog = null)
    {
        _serverLog = serverLog;
        _http = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary><c>GET /healthz</c> answers 200.</summary>
    public async Task<bool> IsServerReadyAsync(CancellationToken cancellationToken)
    {
        try
        {
            using HttpResponseMessage response = await _http.GetAsync(new Uri("/healthz", UriKind.Relative), cancellationToken);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    /// <summary>Runs one remediation; the clock runs from just before the POST to the first GET that shows Completed.</summary>
    public async Task<ProductSample> RunAsync(string requestBody, CancellationToken cancellationToken)
    {
        long logOffset = _serverLog?.Mark() ?? 0;
        DateTime startedLocal = DateTime.Now;
        long started = Stopwatch.GetTimestamp();
        string id;
        using (var content = new StringContent(requestBody, Encoding.UTF8, "application/json"))
        using (HttpResponseMessage response = await _http.PostAsync(new Uri("/api/remediations", UriKind.Relative), content, cancellationToken))
        {
            string text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.StatusCode != HttpStatusCode.Accepted)
            {
                throw new BenchException($"POST /api/remediations answered {(int)response.StatusCode}: {text}");
            }

            JsonNode accepted = JsonNode.Parse(text) ?? throw new BenchException($"POST /api/remediations: empty body");
            id = accepted["id"]?.GetValue<string>() ?? throw new BenchException($"POST /api/remediations: no id in {text}");
            if (accepted["joinedExisting"]?.GetValue<bool>() == true)
            {
                // Another caller's run of the same procedure on the same service is in progress on this task hub.
                throw new InterferenceException($"the server joined an existing run {id} instead of starting one");
            }
        }

        TimeSpan acceptedAfter = Stopwatch.GetElapsedTime(started);
        var statusUri = new Uri("/api/remediations/" + Uri.EscapeDataString(id), UriKind.Relative);
        int polls = 0;
        string lastStatus = "";
        while (true)
        {
            polls++;
            string text;
            using (HttpResponseMessage response = await _http.GetAsync(statusUri, cancellationToken))
            {
                text = await response.Content.ReadAsStringAsync(cancellationToken);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    throw new BenchException($"GET {statusUri} answered {(int)response.StatusCode}: {text}");
                }
            }

            TimeSpan elapsed = Stopwatch.GetElapsedTime(started);
            JsonNode view = JsonNode.Parse(text) ?? throw new BenchException($"GET {statusUri}: empty body");
            lastStatus = view["runtimeStatus"]?.GetValue<string>() ?? "";
            switch (lastStatus)
            {
                case "Completed":
                    return await WithServerActivityAsync(Sample(id, view, elapsed, acceptedAfter, polls), logOffset, startedLocal, cancellationToken);
                case "Failed" or "Terminated":
                    throw new RunFailedException(id, lastStatus, view["failure"]?.ToString() ?? text);
            }

            if (elapsed > RunDeadline)
            {
                throw new BenchException($"remediation {id} is still {lastStatus} after {RunDeadline.TotalMinutes:0} min");
            }

            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    public void Dispose() => _http.Dispose();

    private async Task<ProductSample> WithServerActivityAsync(ProductSample sample, long logOffset, DateTime startedLocal, CancellationToken cancellationToken)
    {
        if (_serverLog is null)
        {
            return sample;
        }

        // The console logger writes on a queue of its own: give the last lines of the run a moment to reach the file.
        await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        ServerActivity activity = _serverLog.Since(logOffset, startedLocal);
        return sample with { ServerCommands = activity.Commands, ServerConnects = activity.Connects };
    }

    private static ProductSample Sample(string id, JsonNode view, TimeSpan elapsed, TimeSpan acceptedAfter, int polls)
    {
        JsonNode result = view["result"] ?? throw new BenchException($"remediation {id} completed without a result");
        DateTimeOffset? created = Date(view["createdAt"]);
        DateTimeOffset? lastUpdated = Date(view["lastUpdatedAt"]);
        return new ProductSample
        {
            // 0.1 ms steps everywhere, so per-run figures and the medians derived from them round alike.
            TotalMs = Math.Round(elapsed.TotalMilliseconds, 1),
            AcceptedMs = Math.Round(acceptedAfter.TotalMilliseconds, 1),
            StatusPolls = polls,
            InstanceId = id,
            Outcome = result["outcome"]?.GetValue<string>() ?? "",
            DowntimeSeconds = result["downtimeSeconds"]?.GetValue<double>(),
            DowntimeMethod = result["downtimeMethod"]?.GetValue<string>(),
            ForcePathTaken = result["forcePathTaken"]?.GetValue<bool>() ?? false,
            Changes = result["changes"]?.AsArray()
                .Select(c => new ProductChange(
                    c?["service"]?.GetValue<string>() ?? "",
                    c?["action"]?.ToString() ?? "",
                    c?["pidBefore"]?.GetValue<int>(),
                    c?["pidAfter"]?.GetValue<int>(),
                    c?["downtimeSeconds"]?.GetValue<double>()))
                .ToList() ?? [],
            Issues = result["issues"]?.AsArray().Select(i => i?.ToString() ?? "").ToList() ?? [],
            RuntimeCreatedToLastUpdatedMs = created is { } c && lastUpdated is { } u ? Math.Round((u - c).TotalMilliseconds, 1) : null,
            FirstStepDelayMs = created is { } c2 && Date(view["progress"]?["steps"]?[0]?["startedUtc"]) is { } first ? Math.Round((first - c2).TotalMilliseconds, 1) : null,
            Steps = view["progress"]?["steps"]?.AsArray()
                .Select(s => new ProductStep(
                    s?["name"]?.GetValue<string>() ?? "",
                    s?["status"]?.GetValue<string>() ?? "",
                    s?["durationMs"]?.GetValue<double>()))
                .ToList() ?? [],
        };
    }

    private static DateTimeOffset? Date(JsonNode? node) =>
        node is not null && DateTimeOffset.TryParse(node.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out DateTimeOffset value)
            ? value
            : null;
}

/// <summary>The runtime reported the remediation Failed or Terminated.</summary>
public sealed class RunFailedException : Exception
{
    public RunFailedException()
    {
    }

    public RunFailedException(string message)
        : base(message)
    {
    }

    public RunFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public RunFailedException(string id, string status, string failure)
        : base($"remediation {id} ended {status}: {failure}")
    {
    }
}

/// <summary>Something other than this benchmark acted on the target during a run (a restart, a knob, a concurrent remediation).</summary>
public sealed class InterferenceException : Exception
{
    public InterferenceException()
    {
    }

    public InterferenceException(string message)
        : base(message)
    {
    }

    public InterferenceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
