using System.Globalization;
using System.Text;
using Remediation.Procedures.Rollout;
using Remediation.Runs;

namespace Remediation.Artifacts;

/// <summary>A rollout's summary in markdown, in the restart log's manner: one table row per target, the failures named, the checklist per target.</summary>
public static class RolloutSummaryRenderer
{
    public static string Render(RolloutRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var md = new StringBuilder();
        void Line(string text) => md.Append(text).Append('\n');
        string T(DateTime? utc) => utc is { } t ? t.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC" : "—";

        Line($"# Rollout {MarkdownText.Inline(record.InstanceId)}");
        Line("");
        Line($"- **Window**: {MarkdownText.Inline(record.Name)}" + (record.WindowStartUtc is null ? "" : $" ({T(record.WindowStartUtc)} – {T(record.WindowEndUtc)})"));
        Line($"- **Procedure**: {MarkdownText.Inline(record.Procedure)}" + (record.Service is null ? "" : $" ({MarkdownText.Inline(record.Service)})") + (record.Mode is null ? "" : $", mode {MarkdownText.Inline(record.Mode)}"));
        Line($"- **Requested by**: {MarkdownText.Inline(record.RequestedBy)} — {MarkdownText.Inline(record.Reason)}");
        Line(string.Create(CultureInfo.InvariantCulture, $"- **Targets**: {record.Targets.Count}, at most {record.MaxConcurrency} at once (peak {record.PeakConcurrency}); failures tolerated: {record.FailureThreshold}"));
        Line($"- **Started / finished**: {T(record.StartedUtc)} / {T(record.FinishedUtc)}");
        Line($"- **Notice**: " + (record.Notice is { } notice ? $"{notice.Status} — {MarkdownText.Inline(notice.Summary)}" : "none configured"));
        Line($"- **Outcome**: {record.Outcome} — {MarkdownText.Inline(record.Summary)}");
        Line("");
        if (record.Failures.Count > 0)
        {
            Line("## Failures");
            foreach (string failure in record.Failures)
            {
                Line($"- {MarkdownText.Inline(failure)}");
            }

            Line("");
        }

        Line("## Targets");
        Line("| Target | Outcome | Reason | Remediations |");
        Line("|---|---|---|---|");
        foreach (PlannedRunResult result in record.Results)
        {
            string runs = string.Join("; ", result.Remediations.Select(r => $"{MarkdownText.Inline(r.Procedure)}{(r.Deferred ? " (deferred)" : "")}: {MarkdownText.Inline(r.Outcome)}{(r.InstanceId is null ? "" : " " + MarkdownText.Code(r.InstanceId))}"));
            Line($"| {MarkdownText.Inline(result.Target)} | {result.Outcome} | {MarkdownText.Inline(result.Reason)} | {runs} |");
        }

        foreach (PlannedRunResult result in record.Results.Where(r => r.Checklist.Count > 0))
        {
            Line("");
            Line($"### Pre-Restart Checklist: {MarkdownText.Inline(result.Target)}");
            foreach (StepRecord step in result.Checklist)
            {
                Line($"- [{(step.Status == StepStatus.Succeeded ? "x" : " ")}] {MarkdownText.Inline(step.Name)} — {step.Status}: {MarkdownText.Inline(step.Summary)}");
            }
        }

        return md.ToString();
    }
}
