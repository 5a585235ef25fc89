using Microsoft.DurableTask;
using Remediation.Activities;
using Remediation.Activities.Nginx;
using Remediation.Activities.Services;
using Remediation.Runs;
using Remediation.Runs.Plans;

namespace Remediation.Procedures.ReloadNginx;

/// <summary>
/// Runbook §3, "Nginx Restart (Safe - No Downtime)": <c>nginx -t</c> first — when it fails nothing is reloaded or
/// restarted, nginx keeps serving the old configuration and the run fails with the error text — then reload (zero
/// downtime), or restart when asked, then verify with an HTTP request to the configured URL.
/// </summary>
public sealed class ReloadNginxOrchestrator : TaskOrchestrator<ReloadNginxRequest, RunRecord>
{
    public override Task<RunRecord> RunAsync(TaskOrchestrationContext context, ReloadNginxRequest input)
    {
        var run = new Run(context, ProcedureNames.ReloadNginx, input, [input.Service]);
        bool restart = input.Mode == ReloadNginxRequest.RestartMode;
        string verb = restart ? "restart" : "reload";
        return run.ExecuteAsync(async () =>
        {
            run.Journal.Begin("Pre-restart checks");
            StackInspection stack = await context.CallActivityAsync<StackInspection>(nameof(InspectStackActivity), new TargetRef(input.Target), TargetRetry.Options);
            ServiceChangeTracker nginx = run.Track(input.Service, stack.KindOf(input.Service));
            run.RecordPreChecks(stack);

            // A restart onto a dead upstream is downtime for nothing; a reload keeps nginx serving whatever it can.
            if (restart && DependencyGate.Blocker(stack, input.Service) is { } dependencyDown)
            {
                return await run.RefuseForDependencyAsync("Restart", dependencyDown, "Bring the dependency back first, or reload nginx instead of restarting it");
            }

            // "Test configuration before restart".
            run.Journal.Begin("Test configuration (nginx -t)");
            var service = new ServiceRef(input.Target, input.Service);
            ConfigTestResult test = await context.CallActivityAsync<ConfigTestResult>(nameof(TestNginxConfigActivity), service, TargetRetry.Options);
            if (!test.Passed)
            {
                run.Journal.Fail($"`{test.Command}` failed: {FirstLine(test.Output)}", [test.Output]);
                run.Journal.Skip(restart ? "Restart" : "Reload", $"not {verb}ed: the configuration test failed; nginx keeps serving the configuration it loaded before");
                run.Issue($"Configuration test failed: {test.Output}");
                return await run.FileAsync(run.Refused(
                    $"Failed — nginx -t rejected the configuration; nothing was {verb}ed and nginx keeps serving its old configuration",
                    ["Fix the configuration error quoted above, then run reload-nginx again"]));
            }

            run.Journal.Succeed(FirstLine(test.Output), [test.Output]);
            RunPlan steps = await run.PlanAsync(input.Service, [], input.Mode);
            if (input.DryRun)
            {
                run.Journal.Skip(restart ? "Restart" : "Reload", $"dry run: the configuration test passed; would {verb} {input.Service}");
                return await run.FileAsync(run.DryRun($"would {verb} {input.Service}{WorkloadGate.ApprovalNote(input, [])}", $"Run again without dryRun to {verb} {input.Service}"));
            }

            if (await ApprovalGate.AwaitAsync(context, run, input, steps, []) is { } notApproved)
            {
                return await run.FileAsync(notApproved);
            }

            // "If test passes, reload (zero downtime)" — or "restart if needed".
            run.Journal.Begin(restart ? "Restart" : "Reload");
            RestartAttempt attempt = restart
                ? await context.CallActivityAsync<RestartAttempt>(nameof(RestartServiceActivity), new RestartServiceCommand(input.Target, input.Service, nginx.PidBefore), TargetRetry.Options)
                : await context.CallActivityAsync<RestartAttempt>(nameof(ReloadServiceActivity), service, TargetRetry.Options);
            bool ready = run.RecordGraceful(nginx, attempt, verb);

            // "Verify": status, and an HTTP request to the configured URL (curl -I).
            run.Journal.Begin("Post-restart verification");
            run.RecordVerification(await context.CallActivityAsync<VerificationReport>(
                nameof(VerifyStackActivity), new VerifyStackRequest(input.Target, run.LogPositions), TargetRetry.Options));

            return await run.FileAsync(run.Concluded(ready, restart ? "Successful — nginx restarted after its configuration test passed" : "Successful — nginx reloaded with zero downtime"));
        });
    }

    private static string FirstLine(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? text;
}
