using Microsoft.DurableTask;
using Remediation.Runs.Approvals;
using Remediation.Runs.Plans;

namespace Remediation.Runs;

/// <summary>
/// Keeps a run's steps inside an orchestrator and publishes them as custom status. It reads time only from the
/// orchestration context, so it replays deterministically.
/// </summary>
public sealed class RunJournal
{
    private readonly TaskOrchestrationContext _context;
    private readonly List<StepRecord> _steps = [];
    private RunProgress _progress;

    public RunJournal(TaskOrchestrationContext context, string procedure, string target, IReadOnlyList<string> services)
    {
        _context = context;
        _progress = new RunProgress { Procedure = procedure, Target = target, Services = services, Phase = "starting" };
    }

    public IReadOnlyList<StepRecord> Steps => _steps;

    /// <summary>Called with a step's name before it begins; the run's cancellation check throws from here.</summary>
    public Action<string>? BeforeStep { get; set; }

    public RunProgress Progress => _progress;

    /// <summary>Marks a step as running and publishes it, so a watcher sees what is happening now.</summary>
    public void Begin(string step)
    {
        BeforeStep?.Invoke(step);
        _steps.Add(new StepRecord { Name = step, Status = StepStatus.Running, StartedUtc = _context.CurrentUtcDateTime });
        Publish(_progress with { Phase = step });
    }

    public void Succeed(string summary, IReadOnlyList<string>? details = null) => Finish(StepStatus.Succeeded, summary, details);

    public void Fail(string summary, IReadOnlyList<string>? details = null) => Finish(StepStatus.Failed, summary, details);

    /// <summary>Marks the running step failed, if one is running (an activity failure can end any step).</summary>
    public void FailRunningStep(string cause)
    {
        if (_steps.Exists(s => s.Status == StepStatus.Running))
        {
            Fail(cause);
        }
    }

    /// <summary>Records a step that was deliberately not run, and why.</summary>
    public void Skip(string step, string why)
    {
        DateTime now = _context.CurrentUtcDateTime;
        _steps.Add(new StepRecord { Name = step, Status = StepStatus.Skipped, StartedUtc = now, FinishedUtc = now, Summary = why });
        Publish(_progress);
    }

    /// <summary>Shows the run's plan in its progress, for an approver (and a dry run's caller) to read.</summary>
    public void ShowPlan(RunPlan plan) => Publish(_progress with { Plan = plan });

    /// <summary>Shows where the run's approval stands.</summary>
    public void ShowApproval(ApprovalRecord approval) => Publish(_progress with { Approval = approval });

    /// <summary>Publishes the final state with the outcome and links to the run's artifacts.</summary>
    public void Finish(RunOutcome outcome, string resolution, string? restartLog, string? record) =>
        Publish(_progress with { Phase = "finished", Outcome = outcome, Resolution = resolution, RestartLog = restartLog, Record = record });

    private void Finish(StepStatus status, string summary, IReadOnlyList<string>? details)
    {
        int last = _steps.FindLastIndex(s => s.Status == StepStatus.Running);
        if (last < 0)
        {
            throw new InvalidOperationException("No step is running.");
        }

        _steps[last] = _steps[last] with
        {
            Status = status,
            FinishedUtc = _context.CurrentUtcDateTime,
            Summary = summary,
            Details = details ?? [],
        };
        Publish(_progress);
    }

    private void Publish(RunProgress progress)
    {
        _progress = progress with { Steps = [.. _steps] };
        _context.SetCustomStatus(_progress);
    }
}
