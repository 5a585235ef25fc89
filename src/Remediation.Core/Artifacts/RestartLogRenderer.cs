using System.Globalization;
using System.Text;
using Remediation.Inventory;
using Remediation.Procedures;
using Remediation.Runs;
using Remediation.Runs.Approvals;
using Remediation.Runs.Plans;

namespace Remediation.Artifacts;

/// <summary>Fills in the runbook's "Restart Log Template" from a run record, then appends the evidence behind it.</summary>
public static class RestartLogRenderer
{
    public static string Render(RunRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var md = new StringBuilder();
        md.AppendLine("## Service Restart Log");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"**Date**: {record.StartedUtc:yyyy-MM-dd HH:mm} UTC");
        md.AppendLine(CultureInfo.InvariantCulture, $"**Performed By**: {PerformedBy(record)}");
        if (record.Approval is { } approval)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"**Approval**: {Approval(approval)}");
        }
        md.AppendLine(CultureInfo.InvariantCulture, $"**Reason**: {OneLine(record.Reason)}");
        md.AppendLine(CultureInfo.InvariantCulture, $"**Services Restarted**: {ServicesRestarted(record)}");
        md.AppendLine(CultureInfo.InvariantCulture, $"**Downtime**: {Downtime(record)}");
        md.AppendLine(CultureInfo.InvariantCulture, $"**Issues Encountered**: {ListOrNone(record.Issues, "None")}");
        md.AppendLine(CultureInfo.InvariantCulture, $"**Resolution**: {OneLine(record.Resolution)}");
        md.AppendLine(CultureInfo.InvariantCulture, $"**Follow-up Actions**: {ListOrNone(record.FollowUpActions, "None required")}");
        md.AppendLine();

        if (record.Changes.Count > 0)
        {
            md.AppendLine("### Services");
            md.AppendLine("| service | kind | action | PID before | PID after | downtime | force path |");
            md.AppendLine("|---|---|---|---|---|---|---|");
            foreach (ServiceChange change in record.Changes)
            {
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| {Cell(change.Service)} | {Cell(Title(change.Kind, change.Service))} | {change.Action.ToString().ToLowerInvariant()} | {Pid(change.PidBefore)} | {Pid(change.PidAfter)} | {Cell(ServiceDowntime(change))} | {Flag(change.ForcePathTaken)} |");
            }

            md.AppendLine();
        }

        if (record.Warnings.Count > 0)
        {
            md.AppendLine("### Warnings");
            foreach (string warning in record.Warnings)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"- {OneLine(warning)}");
            }

            md.AppendLine();
        }

        if (record.Plan is { } plan)
        {
            AppendPlan(md, plan);
        }

        md.AppendLine("### Success Criteria");
        if (record.SuccessCriteria.Count == 0)
        {
            md.AppendLine("Not evaluated: verification did not run.");
        }

        foreach (SuccessCriterion criterion in record.SuccessCriteria)
        {
            string box = criterion.Status == CriterionStatus.Passed ? "[x]" : "[ ]";
            string note = criterion.Status == CriterionStatus.NotEvaluated ? " (not evaluated)" : "";
            md.AppendLine(CultureInfo.InvariantCulture, $"- {box} {OneLine(criterion.Name)}{note} — {OneLine(criterion.Detail)}");
        }

        md.AppendLine();
        md.AppendLine("### Steps");
        md.AppendLine("| # | step | status | started (UTC) | took | summary |");
        md.AppendLine("|---|---|---|---|---|---|");
        for (int i = 0; i < record.Steps.Count; i++)
        {
            StepRecord step = record.Steps[i];
            string took = step.DurationMs is { } ms ? string.Create(CultureInfo.InvariantCulture, $"{ms} ms") : "";
            md.AppendLine(CultureInfo.InvariantCulture, $"| {i + 1} | {Cell(step.Name)} | {step.Status.ToString().ToLowerInvariant()} | {step.StartedUtc:HH:mm:ss.fff} | {took} | {Cell(step.Summary)} |");
        }

        md.AppendLine();
        md.AppendLine("### Run");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Run: {MarkdownText.Code(record.InstanceId)} ({OneLine(record.Procedure)} on {OneLine(record.Target)})");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Started {record.StartedUtc:yyyy-MM-dd HH:mm:ss} UTC, finished {record.FinishedUtc:yyyy-MM-dd HH:mm:ss} UTC");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Options: force={Flag(record.Force)}, dryRun={Flag(record.DryRun)}; force path taken: {Flag(record.ForcePathTaken)}");
        if (record.Trigger is { } trigger)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"- Trigger: {OneLine(trigger.Kind)}{(trigger.Source is null ? "" : " from " + OneLine(trigger.Source))}{(trigger.AlertRule is null ? "" : ", alert rule " + MarkdownText.Code(trigger.AlertRule))}{(trigger.SourceFingerprint is null ? "" : ", source id " + MarkdownText.Code(trigger.SourceFingerprint))}{(trigger.RoutingRule is null ? "" : ", routing rule " + MarkdownText.Code(trigger.RoutingRule))}");
        }

        if (record.AttachedAlerts > 0)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"- Alerts attached while the run was in progress: {record.AttachedAlerts} (first: {string.Join(", ", record.Attachments.Select(a => MarkdownText.Code(a.SourceFingerprint ?? a.Key)))})");
        }

        foreach (Notifications.NotificationDelivery delivery in record.Notifications)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"- Notification {delivery.Kind} to {OneLine(delivery.Channel)}: {(delivery.Delivered ? "delivered" : "not delivered: " + OneLine(delivery.Error))} after {delivery.Attempts} attempt(s)");
        }
        return md.ToString();
    }

    /// <summary>Who asked, who decided, and for which plan: every name is supplied text and escaped.</summary>
    private static string Approval(ApprovalRecord approval)
    {
        string plan = $"plan {MarkdownText.Code(approval.PlanHash)}";
        string requested = $"requested by {OneLine(approval.RequestedBy)} because {OneLine(approval.Why)}";
        string comment = string.IsNullOrWhiteSpace(approval.Comment) ? "" : $" — \"{OneLine(approval.Comment)}\"";
        string refused = approval.Refused.Count == 0 ? "" : $"; refused: {string.Join("; ", approval.Refused.Select(OneLine))}";
        return approval.Status switch
        {
            ApprovalStatus.Approved => string.Create(CultureInfo.InvariantCulture, $"approved by {OneLine(approval.DecidedBy)} at {approval.DecidedUtc:yyyy-MM-dd HH:mm:ss} UTC ({plan}; {requested}){comment}{refused}"),
            ApprovalStatus.Rejected => string.Create(CultureInfo.InvariantCulture, $"rejected by {OneLine(approval.DecidedBy)} at {approval.DecidedUtc:yyyy-MM-dd HH:mm:ss} UTC ({plan}; {requested}){comment}{refused}"),
            ApprovalStatus.TimedOut => string.Create(CultureInfo.InvariantCulture, $"not given by {approval.ExpiresUtc:yyyy-MM-dd HH:mm:ss} UTC: the run was aborted ({plan}; {requested}){refused}"),
            _ => $"awaiting ({plan}; {requested}){refused}",
        };
    }

    private static void AppendPlan(StringBuilder md, RunPlan plan)
    {
        md.AppendLine(CultureInfo.InvariantCulture, $"### Plan ({MarkdownText.Code(plan.Hash)})");
        foreach (PlannedStep step in plan.Steps)
        {
            string when = step.When is null ? "" : $" ({OneLine(step.When)})";
            string commands = step.Commands.Count == 0 ? "" : ": " + string.Join(", ", step.Commands.Select(MarkdownText.Code));
            md.AppendLine(CultureInfo.InvariantCulture, $"- {OneLine(step.Name)}{when}{commands}");
        }

        string seconds = plan.ExpectedDowntime.UpToSeconds is { } s ? string.Create(CultureInfo.InvariantCulture, $"up to {s:0} s") : "none";
        md.AppendLine(CultureInfo.InvariantCulture, $"- Expected downtime: {seconds} — {OneLine(plan.ExpectedDowntime.Basis)}");
        md.AppendLine();
    }

    private static string PerformedBy(RunRecord record)
    {
        string who = string.IsNullOrWhiteSpace(record.RequestedBy) ? "unknown requester" : record.RequestedBy.Trim();
        if (!who.StartsWith('@') && !who.Contains(' ', StringComparison.Ordinal))
        {
            who = "@" + who;
        }

        return $"{OneLine(who)} via Remediation (run {MarkdownText.Code(record.InstanceId)})";
    }

    /// <summary>The template's "[Odoo / PostgreSQL / Nginx / Full Stack]", from the procedure and the kinds of the services it changed.</summary>
    private static string ServicesRestarted(RunRecord record)
    {
        string about = record.Procedure == ProcedureNames.RestartStack
            ? "Full Stack"
            : string.Join(" / ", record.Changes.Select(c => OneLine(Title(c.Kind, c.Service))).Distinct());
        if (record.Procedure == ProcedureNames.Verify)
        {
            return "None — verification only";
        }

        if (record.Outcome == RunOutcome.Deferred)
        {
            return $"None — {about} {Verb(record)} deferred";
        }

        if (record.Outcome == RunOutcome.NotApproved)
        {
            return $"None — {about} {Verb(record)} not approved";
        }

        if (record.Outcome == RunOutcome.DryRun)
        {
            return $"None — dry run of {about} {Verb(record)}";
        }

        List<ServiceChange> changed = [.. record.Changes.Where(c => c.Action != ServiceAction.None)];
        if (changed.Count == 0)
        {
            return $"None — {about} was not changed";
        }

        string what = record.Procedure == ProcedureNames.RestartStack
            ? "Full Stack (" + string.Join(" / ", changed.Select(c => OneLine(Title(c.Kind, c.Service)))) + ")"
            : string.Join(" / ", changed.Select(c => OneLine(Title(c.Kind, c.Service))).Distinct());
        return changed.Exists(c => c.Action == ServiceAction.Reload) ? what + " (reloaded)" : what;
    }

    private static string Verb(RunRecord record) => record.Procedure == ProcedureNames.ReloadNginx ? "reload" : "restart";

    private static string Downtime(RunRecord record)
    {
        string total = record.DowntimeSeconds is { } seconds
            ? string.Create(CultureInfo.InvariantCulture, $"{seconds:0.00} seconds ({OneLine(record.DowntimeMethod)})")
            : $"not measured — {OneLine(record.DowntimeMethod)}";
        List<ServiceChange> measured = [.. record.Changes.Where(c => c.DowntimeSeconds is not null)];
        return measured.Count > 1
            ? total + "; per service: " + string.Join(", ", measured.Select(c => string.Create(CultureInfo.InvariantCulture, $"{OneLine(Title(c.Kind, c.Service))} {c.DowntimeSeconds:0.00} s")))
            : total;
    }

    private static string ServiceDowntime(ServiceChange change) => change.DowntimeSeconds is { } seconds
        ? string.Create(CultureInfo.InvariantCulture, $"{seconds:0.000} s")
        : "not measured: " + change.DowntimeMethod;

    public static string Title(ServiceKind kind, string service) => kind switch
    {
        ServiceKind.Odoo => "Odoo",
        ServiceKind.Postgresql => "PostgreSQL",
        ServiceKind.Nginx => "Nginx",
        _ => service,
    };

    private static string ListOrNone(IReadOnlyList<string> items, string none) =>
        items.Count == 0 ? none : string.Join("; ", items.Select(OneLine));

    private static string Flag(bool value) => value ? "yes" : "no";

    private static string Pid(int? pid) => pid?.ToString(CultureInfo.InvariantCulture) ?? "none";

    // Everything rendered from the record may have come from a request or a target: it is escaped, never trusted as markdown.
    private static string OneLine(string? text) => MarkdownText.Inline(text);

    private static string Cell(string? text) => MarkdownText.Inline(text);
}
