namespace Remediation.Activities.Services;

/// <summary>Processes of a stopped service that were still there ("ps aux | grep odoo"), whether they were killed, and what remains.</summary>
public sealed record LeftoverProcessesReport(IReadOnlyList<string> Found, bool KillSent, IReadOnlyList<string> Remaining, string Summary, DateTime? KilledAtUtc = null);
