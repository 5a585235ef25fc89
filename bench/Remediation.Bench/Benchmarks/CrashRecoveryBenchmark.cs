using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Remediation.Bench.Benchmarks;

/// <summary>
/// crash-recovery: restart-service odoo runs whose server is killed with SIGKILL at a random point (uniform over an
/// uninterrupted run's duration) and started again at once. Per run: completed or not, odoo restarts (supervisord's
/// spawns), restart logs filed, and the time from the restarted server answering /healthz to the run's next step (its
/// progress changing). The benchmark runs its own server on a task hub of its own, with the product's defaults — a new
/// worker id per process, as in production. The line is
/// <c>crash-recovery: C/N completed, 1 restart each, median N s, max N s</c>.
/// </summary>
public sealed class CrashRecoveryBenchmark : IBenchmark
{
    public const string Request = """{"target":"demo","procedure":"restart-service","service":"odoo","reason":"benchmark: crash recovery","requestedBy":"bench","force":true}""";

    private const string Storage = "UseDevelopmentStorage=true";
    private static readonly TimeSpan RunDeadline = TimeSpan.FromMinutes(3);

    public string Name => "crash-recovery";

    public async Task<BenchOutcome> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        DateTime startedUtc = DateTime.UtcNow;
        string hub = "crash" + startedUtc.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        string logFile = Path.Combine(Path.GetTempPath(), $"{hub}-server.log");
        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Remediation:InventoryFile"] = Path.Combine(Path.GetDirectoryName(context.Options.FixtureEnvFile)!, "inventory.json"),
            ["Durable:TaskHubName"] = hub,
            ["Durable:StorageConnectionString"] = Storage,
            ["Artifacts:ConnectionString"] = Storage,
        };
        int port = ServerProcess.FreePort();
        var random = new Random();
        var blobs = new BlobServiceClient(Storage).GetBlobContainerClient("restart-logs");

        ServerProcess server = await ServerProcess.StartAsync(settings, port, logFile, cancellationToken);
        try
        {
            using var http = new HttpClient { BaseAddress = server.Url, Timeout = TimeSpan.FromSeconds(30) };

            // An uninterrupted run: warms the server up and gives the span the kill points are drawn from.
            context.Log.WriteLine($"{Name}: task hub {hub}, server log {logFile}; one uninterrupted run for the kill window");
            var clock = Stopwatch.StartNew();
            string warm = await StartAsync(http, cancellationToken);
            await WaitAsync(http, warm, view => IsFinished(view), cancellationToken);
            double windowSeconds = clock.Elapsed.TotalSeconds;
            context.Log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Name}: an uninterrupted run takes {windowSeconds:0.0} s"));

            var runs = new List<CrashRun>();
            for (int i = 1; i <= context.Options.Runs; i++)
            {
                long supervisorLog = context.Observer.SupervisorLogLength();
                double killAt = random.NextDouble() * windowSeconds;
                var sincePost = Stopwatch.StartNew();
                string id = await StartAsync(http, cancellationToken);
                TimeSpan wait = TimeSpan.FromSeconds(killAt) - sincePost.Elapsed;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, cancellationToken);
                }

                server.Kill();
                double killedAt = sincePost.Elapsed.TotalSeconds;
                server.Dispose();
                server = await ServerProcess.StartAsync(settings, port, logFile, cancellationToken);
                var sinceUp = Stopwatch.StartNew();
                double upAfterKill = sincePost.Elapsed.TotalSeconds - killedAt;

                // What storage held when the server died; the next step is the first view that differs.
                JsonNode atKill = await WaitAsync(http, id, _ => true, cancellationToken);
                string signature = Signature(atKill);
                double? resume = null;
                JsonNode view = atKill;
                if (!IsFinished(atKill))
                {
                    view = await WaitAsync(http, id, v => Signature(v) != signature, cancellationToken);
                    resume = sinceUp.Elapsed.TotalSeconds;
                    view = await WaitAsync(http, id, IsFinished, cancellationToken);
                }

                string status = view["runtimeStatus"]!.GetValue<string>();
                string outcome = view["result"]?["outcome"]?.GetValue<string>() ?? "";
                int restarts = context.Observer.SpawnsSince(supervisorLog)["odoo"].Count;
                int logs = await CountRestartLogsAsync(blobs, id, cancellationToken);
                JsonNode? odoo = view["result"]?["changes"]?.AsArray().FirstOrDefault(c => c?["service"]?.GetValue<string>() == "odoo");
                var run = new CrashRun(i, id, Math.Round(killedAt, 2), atKill["progress"]?["phase"]?.GetValue<string>() ?? "", Math.Round(upAfterKill, 2),
                    resume is { } r ? Math.Round(r, 2) : null, status, outcome, restarts, logs,
                    odoo?["downtimeSeconds"]?.GetValue<double?>(), odoo?["downtimeMethod"]?.GetValue<string>() ?? "");
                runs.Add(run);
                context.Log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{Name} run {i}/{context.Options.Runs}: killed {run.KilledAtSeconds:0.00} s in ({run.PhaseAtKill}), server up {run.ServerUpAfterKillSeconds:0.0} s later, next step {(run.ResumeSeconds is { } s ? s.ToString("0.0", CultureInfo.InvariantCulture) + " s" : "— (finished before the kill)")} after that; {status}/{outcome}, {restarts} restart(s), {logs} log(s); downtime {(run.DowntimeSeconds is { } d ? d.ToString("0.000", CultureInfo.InvariantCulture) + " s" : "not measured")} ({Shorten(run.DowntimeMethod)})"));
            }

            int completed = runs.Count(r => r.RuntimeStatus == "Completed" && r.Outcome == "Succeeded");
            List<double> resumes = runs.Select(r => r.ResumeSeconds).OfType<double>().ToList();
            Distribution? resumeTimes = resumes.Count > 0 ? Distribution.Of(resumes) : null;
            string restartsText = runs.All(r => r.OdooRestarts == 1)
                ? "1 restart each"
                : "restarts " + string.Join(", ", runs.GroupBy(r => r.OdooRestarts).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}"));
            string logsText = runs.All(r => r.RestartLogs == 1)
                ? "1 log each"
                : "logs " + string.Join(", ", runs.GroupBy(r => r.RestartLogs).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}"));
            int measured = runs.Count(r => r.DowntimeSeconds is not null);
            int fromEvidence = runs.Count(r => r.DowntimeMethod.StartsWith("from target evidence", StringComparison.Ordinal));
            string downtimeText = $"downtime measured in {measured}/{runs.Count} ({fromEvidence} from the target's evidence after the crash)";
            string summary = string.Create(CultureInfo.InvariantCulture,
                $"{Name}: {completed}/{runs.Count} completed, {restartsText}, median {resumeTimes?.Median.ToString("0.0", CultureInfo.InvariantCulture) ?? "?"} s, max {resumeTimes?.Max.ToString("0.0", CultureInfo.InvariantCulture) ?? "?"} s");
            var report = new CrashRecoveryReport(
                Name, startedUtc, DateTime.UtcNow, runs.Count, Math.Round(windowSeconds, 2), completed, restartsText, logsText, downtimeText, resumeTimes, summary, runs,
                ResultsFile.Machine(context.Options),
                "SIGKILL at a uniform random point of an uninterrupted run's duration, server restarted at once (new process, new worker id); " +
                "resume = from the restarted server's first 200 on /healthz to the first GET whose runtimeStatus or progress differs from the first GET after the restart",
                Request,
                context.Options.Source);
            var lines = new List<string>
            {
                string.Create(CultureInfo.InvariantCulture, $"{Name} benchmark, {startedUtc:yyyy-MM-dd HH:mm} UTC, {runs.Count} runs, kill window {windowSeconds:0.0} s, {report.Machine.Cores} cores, {report.Machine.Runtime}"),
                $"{logsText}; {downtimeText}; server log {logFile}",
            };
            return new BenchOutcome(report, startedUtc, lines, summary);
        }
        finally
        {
            server.Dispose();
        }
    }

    private static string Shorten(string method) => method.Length > 90 ? method[..90] + "…" : method;

    private static bool IsFinished(JsonNode view) => view["runtimeStatus"]?.GetValue<string>() is "Completed" or "Failed" or "Terminated";

    private static string Signature(JsonNode view) => view["runtimeStatus"]?.GetValue<string>() + "|" + view["progress"]?.ToJsonString();

    private static async Task<string> StartAsync(HttpClient http, CancellationToken cancellationToken)
    {
        using var content = new StringContent(Request, Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await http.PostAsync(new Uri("/api/remediations", UriKind.Relative), content, cancellationToken);
        string text = await response.Content.ReadAsStringAsync(cancellationToken);
        return response.StatusCode == HttpStatusCode.Accepted
            ? JsonNode.Parse(text)!["id"]!.GetValue<string>()
            : throw new BenchException($"POST /api/remediations answered {(int)response.StatusCode}: {text}");
    }

    private static async Task<JsonNode> WaitAsync(HttpClient http, string id, Func<JsonNode, bool> done, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        string last = "";
        while (clock.Elapsed < RunDeadline)
        {
            try
            {
                using HttpResponseMessage response = await http.GetAsync(new Uri("/api/remediations/" + Uri.EscapeDataString(id), UriKind.Relative), cancellationToken);
                last = await response.Content.ReadAsStringAsync(cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK && JsonNode.Parse(last) is { } view && done(view))
                {
                    return view;
                }
            }
            catch (HttpRequestException)
            {
                // The server is starting.
            }

            await Task.Delay(ProductRun.PollInterval, cancellationToken);
        }

        throw new BenchException($"remediation {id} did not get there within {RunDeadline.TotalMinutes:0} min; last answer: {last}");
    }

    private static async Task<int> CountRestartLogsAsync(BlobContainerClient container, string id, CancellationToken cancellationToken)
    {
        int count = 0;
        await foreach (BlobItem blob in container.GetBlobsAsync(cancellationToken: cancellationToken))
        {
            if (blob.Name.EndsWith("/" + id + ".md", StringComparison.Ordinal))
            {
                count++;
            }
        }

        return count;
    }
}

/// <summary>One killed run: where it was killed, how long the restarted server took to be up and the run to go on, and what it did.</summary>
public sealed record CrashRun(
    int Run, string InstanceId, double KilledAtSeconds, string PhaseAtKill, double ServerUpAfterKillSeconds, double? ResumeSeconds,
    string RuntimeStatus, string Outcome, int OdooRestarts, int RestartLogs, double? DowntimeSeconds, string DowntimeMethod);

/// <summary>What crash-recovery writes to bench/results.</summary>
public sealed record CrashRecoveryReport(
    string Benchmark, DateTime StartedUtc, DateTime FinishedUtc, int Runs, double KillWindowSeconds, int Completed, string Restarts, string Logs, string Downtime,
    Distribution? ResumeSeconds, string Summary, IReadOnlyList<CrashRun> RunsDetail, MachineInfo Machine, string Method, string ProductRequest, string? Source);
