using System.Globalization;
using System.Text;
using Remediation.Procedures;

namespace Remediation.Artifacts;

/// <summary>Fills in the runbook's "Restart Log Template" from a run record, then appends the evidence behind it.</summary>
public static class RestartLogRenderer
{
    public static string Render(RunRecord record)
    {
        var md = new StringBuilder();
        md.AppendLine("## Service Restart Log");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"**Date**: {record.StartedUtc:yyyy-MM-dd HH:mm} UTC");
        md.AppendLine(CultureInfo.InvariantCulture, $"**Performed By**: {PerformedBy(record)}");
        md.AppendLine(CultureInfo.InvariantCulture, $"**Reason**: {OneLine(record.Reason)}");
        md.AppendLine(CultureInfo.InvariantCulture, $"**Services Restarted**: {ServicesRestarted(record)}");
        md.AppendLine(CultureInfo.InvariantCulture, $"**Downtime**: {Downtime(record)}");
        md.AppendLine(CultureInfo.InvariantCulture, $"**Issues Encountered**: {ListOrNone(record.Issues, "None")}");
        md.AppendLine(CultureInfo.InvariantCulture, $"**Resolution**: {record.Resolution}");
        md.AppendLine(CultureInfo.InvariantCulture, $"**Follow-up Actions**: {ListOrNone(record.FollowUpActions, "None required")}");
        md.AppendLine();

        md.AppendLine("### Success Criteria");
        if (record.SuccessCriteria.Count == 0)
        {
            md.AppendLine("Not evaluated: nothing was restarted.");
        }

        foreach (SuccessCriterion criterion in record.SuccessCriteria)
        {
            string box = criterion.Status == CriterionStatus.Passed ? "[x]" : "[ ]";
            string note = criterion.Status == CriterionStatus.NotEvaluated ? " (not evaluated)" : "";
            md.AppendLine(CultureInfo.InvariantCulture, $"- {box} {criterion.Name}{note} — {OneLine(criterion.Detail)}");
        }

        md.AppendLine();
        md.AppendLine("### Steps");
        md.AppendLine("| # | step | status | started (UTC) | took | summary |");
        md.AppendLine("|---|---|---|---|---|---|");
        for (int i = 0; i < record.Steps.Count; i++)
        {
            StepRecord step = record.Steps[i];
            string took = step.DurationMs is { } ms ? string.Create(CultureInfo.InvariantCulture, $"{ms} ms") : "";
            md.AppendLine(CultureInfo.InvariantCulture, $"| {i + 1} | {step.Name} | {step.Status.ToString().ToLowerInvariant()} | {step.StartedUtc:HH:mm:ss.fff} | {took} | {Cell(step.Summary)} |");
        }

        md.AppendLine();
        md.AppendLine("### Run");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Run: `{record.InstanceId}` ({record.Procedure} on {record.Target})");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Started {record.StartedUtc:yyyy-MM-dd HH:mm:ss} UTC, finished {record.FinishedUtc:yyyy-MM-dd HH:mm:ss} UTC");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Options: force={Flag(record.Force)}, dryRun={Flag(record.DryRun)}; force path taken: {Flag(record.ForcePathTaken)}");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Main PID before: {Pid(record.PidBefore)}, after: {Pid(record.PidAfter)}");
        return md.ToString();
    }

    private static string PerformedBy(RunRecord record)
    {
        string who = string.IsNullOrWhiteSpace(record.RequestedBy) ? "unknown requester" : record.RequestedBy.Trim();
        if (!who.StartsWith('@') && !who.Contains(' ', StringComparison.Ordinal))
        {
            who = "@" + who;
        }

        return $"{OneLine(who)} via Remediation (run `{record.InstanceId}`)";
    }

    private static string ServicesRestarted(RunRecord record)
    {
        string names = string.Join(" / ", record.Services.Select(Title));
        return record.Outcome switch
        {
            RunOutcome.Deferred => $"None — {names} restart deferred",
            RunOutcome.DryRun => $"None — dry run of {names} restart",
            _ when record.Services.Count > 1 => $"{names} (Full Stack)",
            _ => names,
        };
    }

    private static string Downtime(RunRecord record) => record.DowntimeSeconds is { } seconds
        ? string.Create(CultureInfo.InvariantCulture, $"{seconds:0.00} seconds ({record.DowntimeMethod})")
        : $"not measured — {record.DowntimeMethod}";

    private static string Title(string service) => service switch
    {
        "odoo" => "Odoo",
        "postgresql" => "PostgreSQL",
        "nginx" => "Nginx",
        _ => service,
    };

    private static string ListOrNone(IReadOnlyList<string> items, string none) =>
        items.Count == 0 ? none : string.Join("; ", items.Select(OneLine));

    private static string Flag(bool value) => value ? "yes" : "no";

    private static string Pid(int? pid) => pid?.ToString(CultureInfo.InvariantCulture) ?? "none";

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();

    private static string Cell(string text) => OneLine(text).Replace("|", "\\|", StringComparison.Ordinal);
}
