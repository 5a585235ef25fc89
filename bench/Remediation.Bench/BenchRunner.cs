using System.Diagnostics;
using System.Globalization;

namespace Remediation.Bench;

/// <summary>
/// Runs one variant of a benchmark from a steady state, checks in supervisor's records that it spawned each program of the
/// stack exactly as often as expected (and nothing else did), and retries once a run someone else disturbed.
/// </summary>
public sealed class BenchRunner
{
    public const string RawVariant = "raw";
    public const string OursVariant = "ours";

    private static readonly TimeSpan SteadyDeadline = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan SteadyPoll = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan ServerDeadline = TimeSpan.FromMinutes(1);

    /// <summary>Pause after the stack is RUNNING and healthy, so each run starts from a quiet machine.</summary>
    public static readonly TimeSpan PauseBetweenRuns = TimeSpan.FromSeconds(1);

    private readonly TargetObserver _observer;
    private readonly IReadOnlyList<HealthProbe> _health;
    private readonly ProductRun _product;
    private readonly TextWriter _log;
    private readonly List<RetryEntry> _retries = [];

    public BenchRunner(TargetObserver observer, IReadOnlyList<HealthProbe> health, ProductRun product, TextWriter log)
    {
        _observer = observer;
        _health = health;
        _product = product;
        _log = log;
    }

    public IReadOnlyList<RetryEntry> Retries => _retries;

    public TextWriter Log => _log;

    public async Task WaitForServerAsync(CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        while (!await _product.IsServerReadyAsync(cancellationToken))
        {
            if (Stopwatch.GetElapsedTime(started) > ServerDeadline)
            {
                throw new BenchException($"the server does not answer GET /healthz with 200 within {ServerDeadline.TotalSeconds:0} s");
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    /// <summary>
    /// One verified run of <paramref name="variant"/>: <paramref name="measure"/> must spawn each program exactly
    /// <paramref name="expectedSpawns"/> times (absent: 0, its PID unchanged). A run disturbed by someone else is retried once.
    /// </summary>
    public async Task<RunEntry> MeasureAsync(
        int run, string variant, IReadOnlyDictionary<string, int> expectedSpawns, Func<CancellationToken, Task<Measurement>> measure, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            (RunEntry? entry, string? interference) = await AttemptAsync(run, variant, attempt, expectedSpawns, measure, cancellationToken);
            if (entry is not null)
            {
                return entry;
            }

            if (attempt >= 2)
            {
                throw new BenchException($"{variant} run {run} was disturbed twice by something else acting on the target: {interference}");
            }

            _retries.Add(new RetryEntry(run, variant, DateTime.UtcNow, interference!));
            _log.WriteLine($"  {variant} run {run}: disturbed ({interference}); retrying once");
        }
    }

    private async Task<(RunEntry? Entry, string? Interference)> AttemptAsync(
        int run, string variant, int attempt, IReadOnlyDictionary<string, int> expectedSpawns, Func<CancellationToken, Task<Measurement>> measure, CancellationToken cancellationToken)
    {
        await WaitForSteadyStateAsync(cancellationToken);
        long logOffset = _observer.SupervisorLogLength();
        IReadOnlyDictionary<string, ProgramStatus> before = await TargetObserver.ReadAllAsync(cancellationToken);
        if (before.Values.FirstOrDefault(s => !s.IsRunning) is { } notRunning)
        {
            return (null, $"a program left RUNNING right after the steady-state check: {notRunning.Line}");
        }

        await Task.Delay(PauseBetweenRuns, cancellationToken);

        DateTime startedUtc = DateTime.UtcNow;
        Measurement? measured = null;
        Exception? failure = null;
        try
        {
            measured = await measure(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            failure = e;
        }

        IReadOnlyDictionary<string, ProgramStatus> after = await TargetObserver.ReadAllAsync(cancellationToken);
        IReadOnlyDictionary<string, IReadOnlyList<int>> spawns = _observer.SpawnsSince(logOffset);
        IReadOnlyList<string> knobs = _observer.ActiveKnobs();

        string? interference = Interference(expectedSpawns, before, after, spawns, knobs, measured?.Ours, failure);
        if (interference is not null)
        {
            return (null, interference);
        }

        if (failure is not null)
        {
            throw new BenchException($"{variant} run {run} failed: {failure.Message}", failure);
        }

        // Not disturbed: now the run itself must have spawned each program exactly as often as expected.
        foreach (string program in TargetObserver.Programs)
        {
            int pidBefore = before[program].Pid!.Value;
            int? pidAfter = after[program].Pid;
            bool restarted = pidAfter != pidBefore;
            if (Expected(expectedSpawns, program) == 1 && (spawns[program].Count != 1 || !restarted))
            {
                throw new BenchException($"{variant} run {run} did not restart {program}: supervisor pid {pidBefore} → {pidAfter}, {spawns[program].Count} spawn(s) logged");
            }

            if (Expected(expectedSpawns, program) == 0 && restarted)
            {
                throw new BenchException($"{variant} run {run} restarted {program} (pid {pidBefore} → {pidAfter}), which it must leave running");
            }
        }

        if (measured!.Ours is { } ours)
        {
            if (ours.Outcome is not ("Succeeded" or "SucceededWithIssues"))
            {
                throw new BenchException($"{variant} run {run}: remediation {ours.InstanceId} completed with outcome '{ours.Outcome}' (issues: {string.Join("; ", ours.Issues)})");
            }

            foreach (ProductChange change in ours.Changes.Where(c => c.PidAfter is not null && after.ContainsKey(c.Service)))
            {
                if (change.PidAfter != after[change.Service].Pid)
                {
                    throw new BenchException($"{variant} run {run}: remediation {ours.InstanceId} reports {change.Service} pid {change.PidBefore} → {change.PidAfter}, supervisor {before[change.Service].Pid} → {after[change.Service].Pid}");
                }
            }
        }

        return (new RunEntry
        {
            Run = run,
            Variant = variant,
            Attempt = attempt,
            StartedUtc = startedUtc,
            SupervisorPidBefore = before.ToDictionary(p => p.Key, p => p.Value.Pid!.Value, StringComparer.Ordinal),
            SupervisorPidAfter = after.ToDictionary(p => p.Key, p => p.Value.Pid, StringComparer.Ordinal),
            SpawnedPids = spawns,
            Raw = measured.Raw,
            Ours = measured.Ours,
            Load = measured.Load,
        }, null);
    }

    private static int Expected(IReadOnlyDictionary<string, int> expectedSpawns, string program) =>
        expectedSpawns.TryGetValue(program, out int count) ? count : 0;

    /// <summary>Evidence that something other than this run acted on the target while it ran; null when there is none.</summary>
    private static string? Interference(
        IReadOnlyDictionary<string, int> expectedSpawns,
        IReadOnlyDictionary<string, ProgramStatus> before,
        IReadOnlyDictionary<string, ProgramStatus> after,
        IReadOnlyDictionary<string, IReadOnlyList<int>> spawns,
        IReadOnlyList<string> knobs,
        ProductSample? ours,
        Exception? failure)
    {
        var reasons = new List<string>();
        if (failure is InterferenceException)
        {
            reasons.Add(failure.Message);
        }

        foreach (string program in TargetObserver.Programs)
        {
            IReadOnlyList<int> spawned = spawns[program];
            int expected = Expected(expectedSpawns, program);
            if (spawned.Count > expected)
            {
                reasons.Add($"{program} was spawned {spawned.Count} times (pids {string.Join(", ", spawned)}), expected {expected}");
            }

            if (!after[program].IsRunning)
            {
                reasons.Add($"{program} is not RUNNING after the run: {after[program].Line}");
            }
            else if (spawned.Count == 1 && after[program].Pid != spawned[0])
            {
                reasons.Add($"{program} runs as pid {after[program].Pid}, not as the pid {spawned[0]} supervisord spawned");
            }
        }

        if (knobs.Count > 0)
        {
            reasons.Add($"test knobs of the Odoo stand-in were set during the run: {string.Join(", ", knobs)}");
        }

        foreach (ProductChange change in ours?.Changes ?? [])
        {
            if (change.PidBefore is { } productBefore && before.TryGetValue(change.Service, out ProgramStatus? status) && productBefore != status.Pid)
            {
                reasons.Add($"the product found {change.Service} as pid {productBefore}, supervisor had pid {status.Pid} just before the run");
            }
        }

        return reasons.Count == 0 ? null : string.Join("; ", reasons) + (failure is null or InterferenceException ? "" : $" (the run failed: {failure.Message})");
    }

    /// <summary>Waits until every program is RUNNING under supervisor, every health probe answers 200 and no test knob is set.</summary>
    /// <summary>Waits until the three programs are RUNNING, both health URLs answer 200 and no knob is set.</summary>
    public async Task WaitForSteadyStateAsync(CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        while (true)
        {
            string? last = await UnsteadyReasonAsync(cancellationToken);
            if (last is null)
            {
                return;
            }

            if (Stopwatch.GetElapsedTime(started) > SteadyDeadline)
            {
                throw new BenchException($"the stack did not reach a steady state (RUNNING, healthy, no knobs) within {SteadyDeadline.TotalSeconds:0} s: {last}");
            }

            await Task.Delay(SteadyPoll, cancellationToken);
        }
    }

    private async Task<string?> UnsteadyReasonAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<string> knobs = _observer.ActiveKnobs();
        if (knobs.Count > 0)
        {
            return $"test knobs set: {string.Join(", ", knobs)}";
        }

        IReadOnlyDictionary<string, ProgramStatus> status = await TargetObserver.ReadAllAsync(cancellationToken);
        if (status.Values.FirstOrDefault(s => !s.IsRunning) is { } notRunning)
        {
            return notRunning.Line;
        }

        foreach (HealthProbe probe in _health)
        {
            if (!await probe.IsHealthyAsync(cancellationToken))
            {
                return $"{probe.Url} does not answer 200";
            }
        }

        return null;
    }

    public static string Ms(double value) => Math.Round(value, MidpointRounding.AwayFromZero).ToString("0", CultureInfo.InvariantCulture);
}

/// <summary>What one run measured: a raw sample, a product sample, and the client load around it, whichever apply.</summary>
public sealed record Measurement(RawSample? Raw = null, ProductSample? Ours = null, LoadSample? Load = null);
