using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Remediation.Bench.Benchmarks;

/// <summary>
/// alert-intake: the Alertmanager webhook of a server of its own (bearer token, one rule routing OdooDown on demo to
/// restart-service odoo). Three measurements:
/// <list type="bullet">
/// <item>intake rate: alert notifications no rule routes (each parsed, authenticated, routed, its receipt filed in blob
/// storage), 16 at a time, against the same number of requests with a wrong token (401: Kestrel, routing and the
/// credential check only) in the same run — the floor the intake's rate is a ratio of;</item>
/// <item>a storm: 1,000 copies of one firing routed alert, 50 at a time → runs started, restarts of Odoo (supervisord's
/// spawns), alerts attached;</item>
/// <item>idle → first SSH: after the server has been idle, a routed alert's POST to the first SSH command the server
/// runs on the target (its log).</item>
/// </list>
/// The line is <c>alert-intake: N/s (ratio R to the 401 floor of N/s), 1000 duplicates in N s → R run, S restart, A attached, idle N s → first SSH median N ms, max N ms</c>.
/// </summary>
public sealed class AlertIntakeBenchmark : IBenchmark
{
    private const string Storage = "UseDevelopmentStorage=true";
    private const int RateRequests = 2000;
    private const int RateConcurrency = 16;
    private const int StormCopies = 1000;
    private const int StormConcurrency = 50;
    private static readonly TimeSpan RunDeadline = TimeSpan.FromMinutes(3);

    public string Name => "alert-intake";

    public async Task<BenchOutcome> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        DateTime startedUtc = DateTime.UtcNow;
        string hub = "alerts" + startedUtc.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        string logFile = Path.Combine(Path.GetTempPath(), $"{hub}-server.log");
        string token = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        TimeSpan idleFor = TimeSpan.FromSeconds(context.Options.IdleSeconds);
        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Remediation:InventoryFile"] = Path.Combine(Path.GetDirectoryName(context.Options.FixtureEnvFile)!, "inventory.json"),
            ["Durable:TaskHubName"] = hub,
            ["Durable:StorageConnectionString"] = Storage,
            ["Artifacts:ConnectionString"] = Storage,
            ["Alerts:Webhooks:alertmanager:BearerToken"] = token,
            ["Alerts:Rules:0:Name"] = "odoo-down",
            ["Alerts:Rules:0:Source"] = "alertmanager",
            ["Alerts:Rules:0:AlertRule"] = "OdooDown",
            ["Alerts:Rules:0:TargetLabel"] = "target",
            ["Alerts:Rules:0:Procedure"] = "restart-service",
            ["Alerts:Rules:0:Service"] = "odoo",
            // The storm and the idle runs restart Odoo more often than the production budget (3 an hour) allows.
            ["RestartBudget:MaxRestarts"] = "1000",
        };
        using ServerProcess server = await ServerProcess.StartAsync(settings, ServerProcess.FreePort(), logFile, cancellationToken);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = StormConcurrency }) { BaseAddress = server.Url, Timeout = TimeSpan.FromSeconds(60) };
        var bearer = new AuthenticationHeaderValue("Bearer", token);
        var wrong = new AuthenticationHeaderValue("Bearer", "wrong" + token);
        context.Log.WriteLine($"{Name}: task hub {hub}, server log {logFile}");

        // Warm-up of both paths, unmeasured.
        await BurstAsync(http, 100, RateConcurrency, i => Unrouted("warmup", i), bearer, HttpStatusCode.Accepted, cancellationToken);
        await BurstAsync(http, 100, RateConcurrency, i => Unrouted("warmup", i), wrong, HttpStatusCode.Unauthorized, cancellationToken);

        Rate floor = await BurstAsync(http, RateRequests, RateConcurrency, i => Unrouted("floor", i), wrong, HttpStatusCode.Unauthorized, cancellationToken);
        Rate intake = await BurstAsync(http, RateRequests, RateConcurrency, i => Unrouted("intake", i), bearer, HttpStatusCode.Accepted, cancellationToken);
        double ratio = Math.Round(intake.PerSecond / floor.PerSecond, 2);
        context.Log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Name}: intake {intake.PerSecond:0}/s, 401 floor {floor.PerSecond:0}/s"));

        // The storm: one firing alert, 1,000 times at once.
        await context.Runner.WaitForSteadyStateAsync(cancellationToken);
        long supervisorLog = context.Observer.SupervisorLogLength();
        string storm = Routed("storm");
        var answers = new System.Collections.Concurrent.ConcurrentBag<string>();
        Rate stormRate = await BurstAsync(http, StormCopies, StormConcurrency, _ => storm, bearer, HttpStatusCode.Accepted, cancellationToken, answers.Add);
        var actions = answers.Select(a => JsonNode.Parse(a)!["alerts"]![0]!).GroupBy(o => o["action"]!.GetValue<string>()).ToDictionary(g => g.Key, g => g.ToList());
        List<string> runIds = [.. actions.GetValueOrDefault("started", []).Select(o => o["runId"]!.GetValue<string>()).Distinct()];
        foreach (string id in runIds)
        {
            await WaitFinishedAsync(http, id, cancellationToken);
        }

        int stormRestarts = context.Observer.SpawnsSince(supervisorLog)["odoo"].Count;
        int attached = actions.GetValueOrDefault("attached", []).Count;
        string stormActions = string.Join(", ", actions.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key} {a.Value.Count}"));
        context.Log.WriteLine($"{Name}: storm of {StormCopies}: {stormActions}; {runIds.Count} run(s), {stormRestarts} restart(s)");

        // Idle → first SSH: the server has had nothing to do for a while, then an alert arrives.
        var log = new ServerLog(logFile);
        var idle = new List<IdleSample>();
        for (int i = 1; i <= context.Options.Runs; i++)
        {
            await context.Runner.WaitForSteadyStateAsync(cancellationToken);
            await Task.Delay(idleFor, cancellationToken);
            long mark = log.Mark();
            DateTime postedLocal = DateTime.Now;
            var clock = Stopwatch.StartNew();
            string answer = await PostAsync(http, Routed("idle-" + i.ToString(CultureInfo.InvariantCulture)), bearer, HttpStatusCode.Accepted, cancellationToken);
            double acceptedMs = clock.Elapsed.TotalMilliseconds;
            JsonNode outcome = JsonNode.Parse(answer)!["alerts"]![0]!;
            string id = outcome["runId"]?.GetValue<string>() ?? throw new BenchException($"the idle alert started no run: {answer}");
            await WaitFinishedAsync(http, id, cancellationToken);
            ServerCommand first = log.Since(mark, postedLocal).Commands.OrderBy(c => c.StartedAtMs).FirstOrDefault()
                ?? throw new BenchException($"run {id} logged no SSH command in {logFile}");
            idle.Add(new IdleSample(i, id, outcome["action"]!.GetValue<string>(), Math.Round(acceptedMs, 1), first.StartedAtMs, first.Command));
            context.Log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Name} idle {i}/{context.Options.Runs}: 202 after {acceptedMs:0} ms, first SSH command {first.StartedAtMs:0} ms after the POST ({first.Command})"));
        }

        Distribution firstSsh = Distribution.Of([.. idle.Select(s => s.FirstSshMs)]);
        string summary = string.Create(CultureInfo.InvariantCulture,
            $"{Name}: {intake.PerSecond:0}/s (ratio {ratio:0.00} to the 401 floor of {floor.PerSecond:0}/s), {StormCopies} duplicates in {stormRate.Seconds:0.0} s → {runIds.Count} run, {stormRestarts} restart, {attached} attached, idle {idleFor.TotalSeconds:0} s → first SSH median {firstSsh.Median:0} ms, max {firstSsh.Max:0} ms");
        var report = new AlertIntakeReport(
            Name, startedUtc, DateTime.UtcNow, intake, floor, ratio, StormCopies, stormRate, stormActions, runIds, stormRestarts, attached,
            idleFor.TotalSeconds, idle, firstSsh, summary, ResultsFile.Machine(context.Options),
            $"intake: {RateRequests} Alertmanager v4 notifications of one alert no rule routes, {RateConcurrency} at a time; floor: as many with a wrong bearer token (401); " +
            $"storm: {StormCopies} copies of one routed firing alert, {StormConcurrency} at a time; idle: {idleFor.TotalSeconds:0} s without requests, then one routed alert, first SSH command from the server's log",
            context.Options.Source);
        var lines = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"{Name} benchmark, {startedUtc:yyyy-MM-dd HH:mm} UTC, {report.Machine.Cores} cores, {report.Machine.Runtime}"),
            $"storm: {stormActions}; server log {logFile}",
        };
        return new BenchOutcome(report, startedUtc, lines, summary);
    }

    /// <summary>An Alertmanager webhook (version 4) of one firing alert; <paramref name="alertName"/> decides whether the rule routes it.</summary>
    private static string Notification(string alertName, string fingerprint) => $$"""
        {"receiver":"remediation","status":"firing","alerts":[{"status":"firing","labels":{"alertname":"{{alertName}}","target":"demo","job":"odoo","severity":"warning"},
        "annotations":{"summary":"benchmark"},"startsAt":"2026-12-02T05:00:00Z","endsAt":"0001-01-01T00:00:00Z","generatorURL":"http://prometheus.example/graph","fingerprint":"{{fingerprint}}"}],
        "groupLabels":{"alertname":"{{alertName}}"},"commonLabels":{"alertname":"{{alertName}}","target":"demo"},"commonAnnotations":{},"externalURL":"http://alertmanager.example",
        "version":"4","groupKey":"{}:{alertname=\"{{alertName}}\"}","truncatedAlerts":0}
        """;

    private static string Unrouted(string phase, int i) => Notification("BenchUnrouted", Fingerprint(phase + i.ToString(CultureInfo.InvariantCulture)));

    private static string Routed(string name) => Notification("OdooDown", Fingerprint(name));

    private static string Fingerprint(string seed) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(seed)))[..16];

    private static async Task<Rate> BurstAsync(
        HttpClient http, int count, int concurrency, Func<int, string> body, AuthenticationHeaderValue credentials, HttpStatusCode expected,
        CancellationToken cancellationToken, Action<string>? answer = null)
    {
        int next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                string text = await PostAsync(http, body(i), credentials, expected, cancellationToken);
                answer?.Invoke(text);
            }
        }));
        double seconds = clock.Elapsed.TotalSeconds;
        return new Rate(count, Math.Round(seconds, 3), Math.Round(count / seconds, 1));
    }

    private static async Task<string> PostAsync(HttpClient http, string body, AuthenticationHeaderValue credentials, HttpStatusCode expected, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/alerts/alertmanager", UriKind.Relative))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = credentials;
        using HttpResponseMessage response = await http.SendAsync(request, cancellationToken);
        string text = await response.Content.ReadAsStringAsync(cancellationToken);
        return response.StatusCode == expected
            ? text
            : throw new BenchException($"POST /api/alerts/alertmanager answered {(int)response.StatusCode}, not {(int)expected}: {text}");
    }

    private static async Task WaitFinishedAsync(HttpClient http, string id, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < RunDeadline)
        {
            using HttpResponseMessage response = await http.GetAsync(new Uri("/api/remediations/" + Uri.EscapeDataString(id), UriKind.Relative), cancellationToken);
            string text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.StatusCode == HttpStatusCode.OK && JsonNode.Parse(text)!["runtimeStatus"]?.GetValue<string>() is "Completed" or "Failed" or "Terminated")
            {
                return;
            }

            await Task.Delay(ProductRun.PollInterval, cancellationToken);
        }

        throw new BenchException($"run {id} did not finish within {RunDeadline.TotalMinutes:0} min");
    }
}

/// <summary>How many requests, how long they took, and the rate.</summary>
public sealed record Rate(int Requests, double Seconds, double PerSecond);

/// <summary>One idle measurement: the alert's run, its 202, and the first SSH command after the POST.</summary>
public sealed record IdleSample(int Run, string InstanceId, string Action, double AcceptedMs, double FirstSshMs, string FirstCommand);

/// <summary>What alert-intake writes to bench/results.</summary>
public sealed record AlertIntakeReport(
    string Benchmark, DateTime StartedUtc, DateTime FinishedUtc, Rate Intake, Rate Floor, double Ratio, int StormCopies, Rate StormRate, string StormActions,
    IReadOnlyList<string> StormRuns, int StormRestarts, int StormAttached, double IdleSeconds, IReadOnlyList<IdleSample> IdleRuns, Distribution FirstSshMs,
    string Summary, MachineInfo Machine, string Method, string? Source);
