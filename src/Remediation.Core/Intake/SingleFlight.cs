using System.Collections.Concurrent;

namespace Remediation.Intake;

/// <summary>
/// Concurrent calls with the same key share one execution: the first runs the work, the ones that arrive while it runs
/// get its result. A call that arrives after it finished runs the work afresh, so no answer is older than the call.
/// </summary>
public sealed class SingleFlight<TResult>
{
    private readonly ConcurrentDictionary<string, Task<TResult>> _inFlight = new(StringComparer.Ordinal);

    /// <summary>The work's result, and whether it came from another caller's execution.</summary>
    /// <param name="key">Calls with equal keys share one execution.</param>
    /// <param name="work">Runs without the callers' cancellation: its result is shared by callers whose requests may outlive the first one's.</param>
    public async Task<(TResult Result, bool Shared)> RunAsync(string key, Func<Task<TResult>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var mine = new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<TResult> flight = _inFlight.GetOrAdd(key, mine.Task);
        if (flight != mine.Task)
        {
            return (await flight, true);
        }

        try
        {
            TResult result = await work();
            mine.SetResult(result);
            return (result, false);
        }
        catch (Exception e)
        {
            mine.SetException(e);
            _ = mine.Task.Exception;    // observed here: with no other caller nobody else would
            throw;
        }
        finally
        {
            _inFlight.TryRemove(new KeyValuePair<string, Task<TResult>>(key, mine.Task));
        }
    }
}
