namespace Remediation.Schedules;

/// <summary>A recurring maintenance window as configured: when (cron + IANA time zone), how long, what to run where, and how far ahead users hear of it.</summary>
public sealed class MaintenanceWindowDefinition
{
    /// <summary>Letters, digits, '.', '_', '-': part of instance ids and blob names.</summary>
    public string Name { get; set; } = "";

    /// <summary>Standard 5-field cron expression (minute hour day-of-month month day-of-week), as Cronos parses it.</summary>
    public string Cron { get; set; } = "";

    /// <summary>IANA time zone the cron expression is read in ("Europe/Berlin"); default UTC.</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>How long the window stays open after each occurrence.</summary>
    public TimeSpan Duration { get; set; }

    /// <summary>The procedure every target gets (restart-service, restart-postgresql, reload-nginx, restart-stack, verify).</summary>
    public string Procedure { get; set; } = "";

    public string? Service { get; set; }

    public string? Mode { get; set; }

    /// <summary>Inventory targets, rolled out in this order.</summary>
    public IList<string> Targets { get; init; } = [];

    /// <summary>How long before the window the notice goes out; zero sends none.</summary>
    public TimeSpan NoticeLead { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Targets run at once (sub-orchestrations).</summary>
    public int MaxConcurrency { get; set; } = 1;

    /// <summary>Failed targets tolerated; one more stops the rollout. Ignored when <see cref="MaxFailurePercent"/> is set.</summary>
    public int MaxFailures { get; set; }

    /// <summary>Failed targets tolerated as a share of all targets (0–100, rounded down).</summary>
    public int? MaxFailurePercent { get; set; }

    /// <summary>Pass the users/crons gate (the notice went out); never the dependency gate.</summary>
    public bool Force { get; set; }
}
