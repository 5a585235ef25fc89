namespace Remediation.Probes;

/// <summary>An active Odoo scheduled action whose next call is overdue (runbook: "Check running jobs/cron tasks").</summary>
public sealed record DueCron(string Name, string? State);
