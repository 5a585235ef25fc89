using Microsoft.DurableTask;
using Remediation.Notifications;
using Remediation.Runs;

namespace Remediation.Procedures.Escalate;

/// <summary>
/// Escalation instead of a restart: tells people (a notification in an activity, retried; a failed delivery is recorded,
/// never fatal) and files the record saying what was asked, why nothing was done, and who was told. Takes no lock and
/// touches no target.
/// </summary>
public sealed class EscalateOrchestrator : TaskOrchestrator<EscalateRequest, RunRecord>
{
    public override Task<RunRecord> RunAsync(TaskOrchestrationContext context, EscalateRequest input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var run = new Run(context, ProcedureNames.Escalate, input, input.Service is null ? [] : [input.Service]);
        return run.ExecuteAsync(async () =>
        {
            run.Journal.Begin("Escalate to the on-call operator");
            await run.NotifyAsync(new Notification
            {
                Kind = NotificationKind.Escalation,
                Title = $"{input.Procedure} on {input.Target} needs a person: {input.Why}",
                Text = input.Reason,
                Target = input.Target,
                RunId = context.InstanceId,
                Facts =
                [
                    new("Target", input.Target),
                    new("Procedure asked for", input.Procedure),
                    new("Service", input.Service ?? "(whole target)"),
                    new("Trigger", $"{input.Trigger?.Kind} {input.Trigger?.Source} {input.Trigger?.AlertRule}".Trim()),
                    new("Source id", input.Trigger?.SourceFingerprint ?? "-"),
                    new("Why not automatic", input.Why),
                ],
            });
            run.Journal.Succeed("escalated: " + input.Why);
            return await run.FileAsync(run.Escalated(input.Why, ["Investigate why the service keeps failing before restarting it again", "Restart it by hand through the portal if it is still needed"]));
        });
    }
}
