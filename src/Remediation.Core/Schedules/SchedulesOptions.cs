namespace Remediation.Schedules;

/// <summary>Maintenance and freeze windows, the planned-maintenance notice and the scheduler's tick (section "Remediation:Schedules").</summary>
public sealed class SchedulesOptions
{
    public const string Section = "Remediation:Schedules";

    /// <summary>Windows in which planned runs happen; each occurrence is fired once across every server process.</summary>
    public IList<MaintenanceWindowDefinition> MaintenanceWindows { get; init; } = [];

    /// <summary>Windows in which automatic (alert-triggered) remediation is held back.</summary>
    public IList<FreezeWindowDefinition> FreezeWindows { get; init; } = [];

    /// <summary>Where planned-maintenance notices are posted (a JSON webhook); required when a window asks for a notice.</summary>
    public Uri? NoticeWebhookUrl { get; set; }

    /// <summary>How often the self-hosted server looks for window occurrences that are due (the Functions app's timer fires every minute).</summary>
    public TimeSpan TickInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a planned run reads the state of the remediation it started.</summary>
    public TimeSpan RunPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Severities (case-insensitive) that escalate instead of deferring during a freeze.</summary>
    public IList<string> CriticalSeverities { get; init; } = ["critical", "Sev0"];
}
