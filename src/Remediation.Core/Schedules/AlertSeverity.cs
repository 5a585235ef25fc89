namespace Remediation.Schedules;

/// <summary>How urgent an alert is, as far as a freeze cares: critical escalates, anything else waits for the next window.</summary>
public enum AlertSeverity
{
    NotCritical,
    Critical,
}
