using Microsoft.DurableTask;
using Remediation.Schedules.Notices;

namespace Remediation.Activities.Rollouts;

/// <summary>
/// Pre-Restart Checklist, first item: notify users of the impending restart. Returns when it was delivered. A delivery
/// failure throws (the rollout retries, then records it and starts nothing); a re-delivered activity may post the notice
/// twice, which is why it carries the rollout's id for the receiver to drop the copy.
/// </summary>
public sealed class SendMaintenanceNoticeActivity : TaskActivity<MaintenanceNotice, DateTime>
{
    private readonly IMaintenanceNotice _notice;
    private readonly TimeProvider _time;

    public SendMaintenanceNoticeActivity(IMaintenanceNotice notice, TimeProvider time)
    {
        _notice = notice;
        _time = time;
    }

    public override async Task<DateTime> RunAsync(TaskActivityContext context, MaintenanceNotice input)
    {
        ArgumentNullException.ThrowIfNull(input);
        await _notice.SendAsync(input, CancellationToken.None);
        return _time.GetUtcNow().UtcDateTime;
    }
}
