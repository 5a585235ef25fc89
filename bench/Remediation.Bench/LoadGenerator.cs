using System.Collections.Concurrent;
using System.Diagnostics;

namespace Remediation.Bench;

/// <summary>A steady client load: a few concurrent loops, each a GET on a new connection, a short pause, and again; counts what did not answer 200.</summary>
public sealed class LoadGenerator : IAsyncDisposable
{
    public const int Loops = 3;
    public static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(10);

    private readonly HealthProbe _probe;
    private readonly CancellationTokenSource _stop;
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly ConcurrentBag<(double AtMs, string Kind)> _failures = [];
    private readonly Task[] _loops;
    private int _requests;

    private LoadGenerator(HealthProbe probe, CancellationToken cancellationToken)
    {
        _probe = probe;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _loops = Enumerable.Range(0, Loops).Select(_ => Task.Run(LoopAsync, CancellationToken.None)).ToArray();
    }

    /// <summary>Starts <see cref="Loops"/> loops of <paramref name="probe"/> (new connection per request, 1 s timeout each).</summary>
    public static LoadGenerator Start(HealthProbe probe, CancellationToken cancellationToken) => new(probe, cancellationToken);

    /// <summary>Stops the loops after their request in flight and returns the counts since the start.</summary>
    public async Task<LoadSample> StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_loops);
        List<(double AtMs, string Kind)> failures = _failures.OrderBy(f => f.AtMs).ToList();
        return new LoadSample(
            _requests,
            failures.Count,
            failures.GroupBy(f => f.Kind, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
            Math.Round(Stopwatch.GetElapsedTime(_started).TotalMilliseconds, 1),
            failures.Select(f => f.AtMs).ToList());
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_loops);
        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            double at = Math.Round(Stopwatch.GetElapsedTime(_started).TotalMilliseconds, 1);
            string? failure;
            try
            {
                // Not cancelled by the stop signal: a request once sent is always counted with its real answer.
                failure = await _probe.ProbeAsync(CancellationToken.None);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                failure = e.GetType().Name;
            }

            Interlocked.Increment(ref _requests);
            if (failure is not null)
            {
                _failures.Add((at, failure));
            }

            try
            {
                await Task.Delay(Pause, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
