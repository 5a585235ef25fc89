using System.Text.Json;
using Remediation.Artifacts;
using Remediation.Runs;

namespace Remediation.Intake;

/// <summary>
/// The record of a run that was terminated: built from what it had published (its steps) and its request, since the
/// orchestration itself can no longer write anything. What the step in flight did to the target is unknown and says so.
/// </summary>
public static class TerminatedRecord
{
    /// <summary>The record, or null when the run published no progress to build it from.</summary>
    public static RunRecord? From(string instanceId, string? serializedProgress, string? serializedInput, DateTimeOffset createdAt, DateTimeOffset terminatedAt, string? reason)
    {
        if (string.IsNullOrEmpty(serializedProgress) || JsonSerializer.Deserialize<RunProgress>(serializedProgress, RecordJson.Options) is not { } progress)
        {
            return null;
        }

        TerminatedInput input = string.IsNullOrEmpty(serializedInput)
            ? new TerminatedInput()
            : JsonSerializer.Deserialize<TerminatedInput>(serializedInput, RecordJson.Options) ?? new TerminatedInput();
        DateTime finished = terminatedAt.UtcDateTime;
        StepRecord? inFlight = progress.Steps.LastOrDefault(s => s.Status == StepStatus.Running);
        IReadOnlyList<StepRecord> steps = [.. progress.Steps.Select(s => s.Status == StepStatus.Running
            ? s with { Status = StepStatus.Failed, FinishedUtc = finished, Summary = "terminated while running: what it did to the target is not known" }
            : s)];
        string why = string.IsNullOrWhiteSpace(reason) ? "" : $" ({reason})";
        string during = inFlight is null ? "between steps" : $"during \"{inFlight.Name}\", whose effect on the target is not known";
        string resolution = $"Terminated{why} {during}; the orchestration was stopped at once and did not verify the stack";
        return new RunRecord
        {
            InstanceId = instanceId,
            Procedure = progress.Procedure,
            Target = progress.Target,
            Reason = input.Reason,
            RequestedBy = input.RequestedBy,
            Force = input.Force,
            DryRun = input.DryRun,
            StartedUtc = progress.Steps.Count > 0 ? progress.Steps[0].StartedUtc : createdAt.UtcDateTime,
            FinishedUtc = finished,
            Outcome = RunOutcome.Failed,
            Resolution = resolution,
            DowntimeMethod = "not measured: the run was terminated",
            Issues = [resolution],
            FollowUpActions = ["Check the target now (run verify): a terminated run may have left a service stopped", "Prefer cancel, which stops a run between steps and records what had changed"],
            Steps = steps,
        };
    }

    private sealed record TerminatedInput
    {
        public string Reason { get; init; } = "";
        public string RequestedBy { get; init; } = "";
        public bool Force { get; init; }
        public bool DryRun { get; init; }
    }
}
