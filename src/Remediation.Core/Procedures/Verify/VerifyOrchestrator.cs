using Microsoft.DurableTask;
using Remediation.Activities.Services;
using Remediation.Runs;

namespace Remediation.Procedures.Verify;

/// <summary>
/// Runbook "Post-Restart Verification" on its own: immediate checks, application health and user access, then the
/// Success Criteria Checklist — read-only, so it takes no lock. Logs are scanned over their recent tail, as the
/// runbook's <c>tail -n 100 … | grep -i error</c> does.
/// </summary>
public sealed class VerifyOrchestrator : TaskOrchestrator<VerifyRequest, RunRecord>
{
    public override Task<RunRecord> RunAsync(TaskOrchestrationContext context, VerifyRequest input)
    {
        var run = new Run(context, ProcedureNames.Verify, input, ["all"]);
        return run.ExecuteAsync(async () =>
        {
            run.Journal.Begin("Post-restart verification");
            bool healthy = run.RecordVerification(await context.CallActivityAsync<VerificationReport>(
                nameof(VerifyStackActivity), new VerifyStackRequest(input.Target, []), TargetRetry.Options));
            return await run.FileAsync(run.Concluded(healthy, "Verified — the stack meets the critical success criteria"));
        });
    }
}
