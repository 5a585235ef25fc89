using Microsoft.DurableTask;
using Remediation.Activities.Database;
using Remediation.Runs;

namespace Remediation.Procedures;

/// <summary>
/// Not knowing whether users are active is not "no users": without force the run fails closed; with force it goes
/// ahead and the unknown is recorded as an issue.
/// </summary>
public static class WorkloadGate
{
    public static async Task<WorkloadReport> CheckedOrForcedAsync(Task<WorkloadReport> workload, bool force)
    {
        ArgumentNullException.ThrowIfNull(workload);
        try
        {
            return await workload;
        }
        catch (TaskFailedException failure) when (force)
        {
            return WorkloadReport.Unknown(failure.FailureDetails.ErrorMessage);
        }
        catch (TaskFailedException failure)
        {
            throw new TaskFailedException(
                failure.TaskName,
                failure.TaskId,
                new TaskFailureDetails(
                    failure.FailureDetails.ErrorType,
                    $"could not check active users and due cron jobs ({failure.FailureDetails.ErrorMessage}); repeat with force=true to go ahead without that check",
                    failure.FailureDetails.StackTrace,
                    failure.FailureDetails.InnerFailure,
                    null));
        }
    }

    /// <summary>What a dry run adds to its plan line when a real run would wait for approval; empty when it would not.</summary>
    public static string ApprovalNote(IRunRequest request, IReadOnlyList<string> blockers)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ApprovalGate.Reason(request.Approval, blockers, request.Force) is { } why ? $"; would wait for approval ({why})" : "";
    }

    /// <summary>The plan line a dry run shows: what a real run would do with these blockers.</summary>
    public static string Plan(IReadOnlyList<string> blockers, bool force, string action) =>
        blockers.Count == 0 ? $"would {action}"
        : force ? $"would {action}, forced past: " + string.Join("; ", blockers)
        : "would defer: " + string.Join("; ", blockers);
}
