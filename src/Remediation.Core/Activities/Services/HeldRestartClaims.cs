using System.Collections.Concurrent;

namespace Remediation.Activities.Services;

/// <summary>The restart claims this process took, and whether the attempt that took each is still running.</summary>
/// <remarks>
/// A claim found on the target says only that some attempt took it. When this process took it and that attempt has
/// ended (an SSH cut before the restart command, a retry of the step), nobody is restarting the service any more and a
/// retry need not wait out the bound that a holder in another process gets.
/// </remarks>
public sealed class HeldRestartClaims
{
    private readonly ConcurrentDictionary<string, bool> _running = new(StringComparer.Ordinal);

    /// <summary>Records that an attempt of this process took <paramref name="key"/> and runs.</summary>
    public void Took(string key) => _running[key] = true;

    /// <summary>Records that the attempt holding <paramref name="key"/> has ended.</summary>
    public void Ended(string key)
    {
        if (_running.ContainsKey(key))
        {
            _running[key] = false;
        }
    }

    /// <summary>True when an attempt of this process took <paramref name="key"/> and has ended since.</summary>
    public bool HolderEnded(string key) => _running.TryGetValue(key, out bool running) && !running;
}
