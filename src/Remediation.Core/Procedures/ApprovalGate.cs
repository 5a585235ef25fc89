using System.Globalization;
using Microsoft.DurableTask;
using Remediation.Notifications;
using Remediation.Runs;
using Remediation.Runs.Approvals;
using Remediation.Runs.Plans;

namespace Remediation.Procedures;

/// <summary>
/// The approval step of the policy gate: when the run's terms ask for it, the run shows its plan and waits — on a
/// durable timer — for an approve or reject event. An approval must name the plan's hash and come from someone other
/// than the requester; anything else is refused, recorded, and the run keeps waiting. A rejection, the timeout, a
/// cancel or the resolution of the alert that started the run ends the run before anything is changed.
/// </summary>
public static class ApprovalGate
{
    public const string StepName = "Approval";

    /// <summary>How many approve/reject events a run takes before it gives up waiting.</summary>
    public const int MaxDecisions = 20;

    /// <summary>Why this run needs approval, or null when it does not.</summary>
    public static string? Reason(ApprovalTerms? terms, IReadOnlyList<string> blockers, bool force)
    {
        ArgumentNullException.ThrowIfNull(blockers);
        return terms switch
        {
            { Required: true } => string.IsNullOrWhiteSpace(terms.Why) ? "the approval policy requires it" : terms.Why,
            { WhenForcedPastBlockers: true } when force && blockers.Count > 0 => "force goes past: " + string.Join("; ", blockers),
            _ => null,
        };
    }

    /// <summary>Null when the run may go on (approved, or no approval needed); otherwise the record of a run that was not approved, to file.</summary>
    public static async Task<RunRecord?> AwaitAsync(TaskOrchestrationContext context, Run run, IRunRequest input, RunPlan plan, IReadOnlyList<string> blockers)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(plan);
        if (Reason(input.Approval, blockers, input.Force) is not { } why)
        {
            return null;
        }

        int timeoutSeconds = Math.Max(1, input.Approval!.TimeoutSeconds);
        run.Journal.Begin(StepName);
        DateTime now = context.CurrentUtcDateTime;
        var approval = new ApprovalRecord
        {
            Status = ApprovalStatus.Awaiting,
            Why = why,
            PlanHash = plan.Hash,
            RequestedBy = input.RequestedBy,
            RequestedUtc = now,
            ExpiresUtc = now.AddSeconds(timeoutSeconds),
        };
        run.RecordApproval(approval);

        // Approvers are told (issue 9: approval requests are a notification kind); a failed delivery is a warning in the
        // record, never a reason not to wait.
        await run.NotifyAsync(new Notification
        {
            Kind = NotificationKind.ApprovalRequest,
            Title = $"{run.Procedure} on {input.Target} waits for approval: {why}",
            Text = input.Reason,
            Target = input.Target,
            RunId = context.InstanceId,
            Facts =
            [
                new("Target", input.Target),
                new("Procedure", run.Procedure),
                new("Plan", string.Join(" → ", plan.Steps.Select(st => st.Name))),
                new("Requested by", input.RequestedBy),
                new("Trigger", $"{input.Trigger?.Kind ?? RunTrigger.Portal} {input.Trigger?.Source} {input.Trigger?.AlertRule}".Trim()),
                new("Plan hash", plan.Hash),
                new("Expires (UTC)", approval.ExpiresUtc.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)),
            ],
        });

        using var timerCancel = new CancellationTokenSource();
        Task timeout = context.CreateTimer(approval.ExpiresUtc, timerCancel.Token);
        Task<ApprovalDecision> approve = context.WaitForExternalEvent<ApprovalDecision>(Run.ApproveEvent);
        Task<ApprovalDecision> reject = context.WaitForExternalEvent<ApprovalDecision>(Run.RejectEvent);
        string firstChange = plan.Steps.Count > 0 ? plan.Steps[0].Name : "the first change";
        for (int decisions = 0; decisions < MaxDecisions; decisions++)
        {
            Task winner = await Task.WhenAny(approve, reject, timeout, run.CancelRequested, run.AlertResolved);
            if (winner == run.CancelRequested)
            {
                timerCancel.Cancel();
                run.Journal.Fail("cancelled while awaiting approval");
                throw new RunCancelledException(firstChange, run.CancelRequested.Result);
            }

            if (winner == run.AlertResolved)
            {
                // Nothing has changed while a run waits for approval, so the approver need not decide on a problem that went away.
                timerCancel.Cancel();
                run.Journal.Fail("the alert resolved while awaiting approval: nothing changed");
                throw run.CancelledByResolvedAlert(firstChange);
            }

            if (winner == timeout)
            {
                run.Journal.Fail(string.Create(CultureInfo.InvariantCulture, $"no decision within {timeoutSeconds} s: aborted, nothing changed"));
                return run.NotApproved(approval with { Status = ApprovalStatus.TimedOut });
            }

            bool approving = winner == approve;
            ApprovalDecision decision = approving ? approve.Result : reject.Result;
            string? refusal = RefusalOf(decision, plan.Hash, input.RequestedBy, approving);
            if (refusal is not null)
            {
                // Not a decision: say so in the record and keep waiting for a valid one (the API refuses these up front too).
                approval = approval with { Refused = [.. approval.Refused, refusal] };
                run.RecordApproval(approval);
                run.Warn(refusal);
                if (approving)
                {
                    approve = context.WaitForExternalEvent<ApprovalDecision>(Run.ApproveEvent);
                }
                else
                {
                    reject = context.WaitForExternalEvent<ApprovalDecision>(Run.RejectEvent);
                }

                continue;
            }

            timerCancel.Cancel();
            ApprovalRecord decided = approval with
            {
                Status = approving ? ApprovalStatus.Approved : ApprovalStatus.Rejected,
                DecidedBy = decision.Approver,
                DecidedUtc = context.CurrentUtcDateTime,
                Comment = string.IsNullOrWhiteSpace(decision.Comment) ? null : decision.Comment,
            };
            if (!approving)
            {
                run.Journal.Fail($"rejected by {decision.Approver}");
                return run.NotApproved(decided);
            }

            run.RecordApproval(decided);
            run.Journal.Succeed($"approved by {decision.Approver} (plan {plan.Hash[..12]}…)", [$"requested by {input.RequestedBy}", $"why: {why}", .. decided.Comment is null ? Array.Empty<string>() : [$"comment: {decided.Comment}"]]);
            return null;
        }

        // A bounded history: past this many refused decisions the run stops waiting (someone is scripting bad approvals).
        timerCancel.Cancel();
        run.Journal.Fail($"{MaxDecisions} decisions refused: aborted, nothing changed");
        return run.NotApproved(approval with { Status = ApprovalStatus.Rejected, DecidedBy = "Remediation", DecidedUtc = context.CurrentUtcDateTime, Comment = $"{MaxDecisions} approve/reject events were refused" });
    }

    /// <summary>Why a decision cannot count, or null when it can: the same rules the API applies before raising the event.</summary>
    public static string? RefusalOf(ApprovalDecision decision, string planHash, string requestedBy, bool approving)
    {
        ArgumentNullException.ThrowIfNull(decision);
        if (string.IsNullOrWhiteSpace(decision.Approver))
        {
            return "A decision without an approver was ignored";
        }

        if (!approving)
        {
            return null;
        }

        if (SamePerson(decision.Approver, requestedBy))
        {
            return $"{decision.Approver} requested this run and cannot approve it: another person must";
        }

        return string.Equals(decision.PlanHash, planHash, StringComparison.OrdinalIgnoreCase)
            ? null
            : $"An approval by {decision.Approver} named plan {Short(decision.PlanHash)}, not the plan awaiting approval ({Short(planHash)}); it was refused";
    }

    /// <summary>Names compare without case or surrounding blanks, and with or without a leading '@'.</summary>
    public static bool SamePerson(string a, string b) =>
        string.Equals(Normal(a), Normal(b), StringComparison.OrdinalIgnoreCase);

    private static string Normal(string name) => name.Trim().TrimStart('@');

    private static string Short(string hash) => string.IsNullOrEmpty(hash) ? "(none)" : hash[..Math.Min(12, hash.Length)];
}
