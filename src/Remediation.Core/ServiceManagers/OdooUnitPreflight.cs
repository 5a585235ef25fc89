namespace Remediation.ServiceManagers;

/// <summary>
/// What systemd will do to an Odoo unit when it is stopped, against what Odoo needs: <c>KillMode</c>, <c>KillSignal</c>
/// and <c>TimeoutStopSec</c> of the unit, and Odoo's <c>limit_time_real</c> (how long a request may run; Odoo's master
/// waits that long for its workers on a graceful stop). Warnings are evidence for the record, never blockers.
/// </summary>
public sealed record OdooUnitPreflight
{
    public required string Service { get; init; }
    public required string Unit { get; init; }

    /// <summary>control-group, mixed, process or none; null when systemd did not say.</summary>
    public string? KillMode { get; init; }

    /// <summary>The signal number systemd sends first (15 = SIGTERM).</summary>
    public int? KillSignal { get; init; }

    /// <summary>How long systemd waits after the stop signal before SIGKILL; null for infinity or when unreadable.</summary>
    public double? TimeoutStopSeconds { get; init; }

    /// <summary>The raw value systemd printed (e.g. "1min 30s", "infinity").</summary>
    public string TimeoutStopRaw { get; init; } = "";

    public required int LimitTimeRealSeconds { get; init; }

    /// <summary>Where <see cref="LimitTimeRealSeconds"/> came from: the config file, or Odoo's default.</summary>
    public required string LimitTimeRealSource { get; init; }

    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>One line for the pre-checks' evidence.</summary>
    public string Evidence =>
        $"unit {Unit}: KillMode={KillMode ?? "?"} KillSignal={KillSignal?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"} TimeoutStopSec={(TimeoutStopRaw.Length == 0 ? "?" : TimeoutStopRaw)}; " +
        $"Odoo limit_time_real={LimitTimeRealSeconds} s ({LimitTimeRealSource})";
}
