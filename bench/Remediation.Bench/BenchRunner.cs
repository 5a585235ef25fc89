using System.Diagnostics;
using System.Globalization;

namespace Remediation.Bench;

/// <summary>Runs raw (a) and ours (b) restarts of odoo from a steady state, checks in supervisor's records that each restarted odoo exactly once, and retries once a run someone else disturbed.</summary>
public sealed class BenchRunner
{
    public const string RawVariant = "raw";
    public const string OursVariant = "ours";

    private static readonly TimeSpan SteadyDeadline = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan SteadyPoll = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan ServerDeadline = TimeSpan.FromMinutes(1);

    /// <summary>Pause after odoo is RUNNING and healthy, so each run starts from a quiet machine.</summary>
    public static readonly TimeSpan PauseBetweenRuns = TimeSpan.FromSeconds(1);

    private readonly TargetObserver _observer;
    private readonly HealthProbe _health;
    private readonly RawRestart _raw;
    private readonly ProductRestart _ours;
    private readonly TextWriter _log;
    private readonly List<RetryEntry> _retries = [];

    public BenchRunner(TargetObserver observer, HealthProbe health, RawRestart raw, ProductRestart ours, TextWriter log)
    {
        _observer = observer;
        _health = health;
        _raw = raw;
        _ours = ours;
        _log = log;
    }

    public IReadOnlyList<RetryEntry> Retries => _retries;

    public async Task WaitForServerAsync(CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        while (!await _ours.IsServerReadyAsync(cancellationToken))
        {
            if (Stopwatch.GetElapsedTime(started) > ServerDeadline)
            {
                throw new BenchException($"the server does not answer GET /healthz with 200 within {ServerDeadline.TotalSeconds:0} s");
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    /// <summary>One verified run of <paramref name="variant"/>; a run disturbed by someone else is retried once.</summary>
    public async Task<RunEntry> MeasureAsync(int run, string variant, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            (RunEntry? entry, string? interference) = await AttemptAsync(run, variant, attempt, cancellationToken);
            if (entry is not null)
            {
                return entry;
            }

            if (attempt >= 2)
            {
                throw new BenchException($"{variant} run {run} was disturbed twice by something else acting on odoo: {interference}");
            }

            _retries.Add(new RetryEntry(run, variant, DateTime.UtcNow, interference!));
            _log.WriteLine($"  {variant} run {run}: disturbed ({interference}); retrying once");
        }
    }

    private async Task<(RunEntry? Entry, string? Interference)> AttemptAsync(int run, string variant, int attempt, CancellationToken cancellationToken)
    {
        await WaitForSteadyStateAsync(cancellationToken);
        long logOffset = _observer.SupervisorLogLength();
        ProgramStatus before = await TargetObserver.ReadOdooAsync(cancellationToken);
        if (!before.IsRunning)
        {
            return (null, $"odoo left RUNNING right after the steady-state check: {before.Line}");
        }

        await Task.Delay(PauseBetweenRuns, cancellationToken);

        DateTime startedUtc = DateTime.UtcNow;
        RawSample? raw = null;
        ProductSample? ours = null;
        Exception? failure = null;
        try
        {
            if (variant == RawVariant)
            {
                raw = await _raw.RunAsync(cancellationToken);
            }
            else
            {
                ours = await _ours.RunAsync(cancellationToken);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            failure = e;
        }

        ProgramStatus after = await TargetObserver.ReadOdooAsync(cancellationToken);
        IReadOnlyList<int> spawns = _observer.OdooSpawnsSince(logOffset);
        IReadOnlyList<string> knobs = _observer.ActiveKnobs();

        string? interference = Interference(before, after, spawns, knobs, ours, failure);
        if (interference is not null)
        {
            return (null, interference);
        }

        if (failure is not null)
        {
            throw new BenchException($"{variant} run {run} failed: {failure.Message}", failure);
        }

        // Not disturbed: now the run must have restarted odoo itself, exactly once.
        int pidBefore = before.Pid!.Value;
        if (spawns.Count != 1 || after.Pid == pidBefore)
        {
            throw new BenchException($"{variant} run {run} did not restart odoo: supervisor pid {pidBefore} → {after.Pid}, {spawns.Count} spawn(s) logged");
        }

        if (raw is not null && !raw.CommandOutput.Contains("odoo: started", StringComparison.Ordinal))
        {
            throw new BenchException($"{variant} run {run}: `{RawRestart.Command}` did not report 'odoo: started': {raw.CommandOutput}");
        }

        if (ours is not null)
        {
            if (ours.Outcome is not ("Succeeded" or "SucceededWithIssues"))
            {
                throw new BenchException($"{variant} run {run}: remediation {ours.InstanceId} completed with outcome '{ours.Outcome}' (issues: {string.Join("; ", ours.Issues)})");
            }

            if (ours.PidAfter != after.Pid || ours.PidAfter == ours.PidBefore)
            {
                throw new BenchException($"{variant} run {run}: remediation {ours.InstanceId} reports pid {ours.PidBefore} → {ours.PidAfter}, supervisor {pidBefore} → {after.Pid}");
            }
        }

        return (new RunEntry
        {
            Run = run,
            Variant = variant,
            Attempt = attempt,
            StartedUtc = startedUtc,
            SupervisorPidBefore = pidBefore,
            SupervisorPidAfter = after.Pid,
            SpawnedPids = spawns,
            Raw = raw,
            Ours = ours,
        }, null);
    }

    /// <summary>Evidence that something other than this run acted on odoo while it ran; null when there is none.</summary>
    private static string? Interference(
        ProgramStatus before, ProgramStatus after, IReadOnlyList<int> spawns, IReadOnlyList<string> knobs, ProductSample? ours, Exception? failure)
    {
        var reasons = new List<string>();
        if (failure is InterferenceException)
        {
            reasons.Add(failure.Message);
        }

        if (spawns.Count > 1)
        {
            reasons.Add($"odoo was spawned {spawns.Count} times (pids {string.Join(", ", spawns)}), expected once");
        }

        if (!after.IsRunning)
        {
            reasons.Add($"odoo is not RUNNING after the run: {after.Line}");
        }
        else if (spawns.Count == 1 && after.Pid != spawns[0])
        {
            reasons.Add($"odoo runs as pid {after.Pid}, not as the pid {spawns[0]} supervisord spawned");
        }

        if (knobs.Count > 0)
        {
            reasons.Add($"test knobs of the Odoo stand-in were set during the run: {string.Join(", ", knobs)}");
        }

        if (ours?.PidBefore is { } productBefore && productBefore != before.Pid)
        {
            reasons.Add($"the product found odoo as pid {productBefore}, supervisor had pid {before.Pid} just before the run");
        }

        return reasons.Count == 0 ? null : string.Join("; ", reasons) + (failure is null or InterferenceException ? "" : $" (the run failed: {failure.Message})");
    }

    /// <summary>Waits until odoo is RUNNING under supervisor, answers its health probe and no test knob is set.</summary>
    private async Task WaitForSteadyStateAsync(CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        string last = "";
        while (true)
        {
            IReadOnlyList<string> knobs = _observer.ActiveKnobs();
            if (knobs.Count > 0)
            {
                last = $"test knobs set: {string.Join(", ", knobs)}";
            }
            else
            {
                ProgramStatus status = await TargetObserver.ReadOdooAsync(cancellationToken);
                if (!status.IsRunning)
                {
                    last = status.Line;
                }
                else if (!await _health.IsHealthyAsync(cancellationToken))
                {
                    last = $"{_health.Url} does not answer 200";
                }
                else
                {
                    return;
                }
            }

            if (Stopwatch.GetElapsedTime(started) > SteadyDeadline)
            {
                throw new BenchException($"odoo did not reach a steady state (RUNNING, healthy, no knobs) within {SteadyDeadline.TotalSeconds:0} s: {last}");
            }

            await Task.Delay(SteadyPoll, cancellationToken);
        }
    }

    public static string Ms(double value) => Math.Round(value, MidpointRounding.AwayFromZero).ToString("0", CultureInfo.InvariantCulture);
}
