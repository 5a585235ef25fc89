using Microsoft.DurableTask;
using Remediation.Intake.Locks;

namespace Remediation.Activities.Runs;

/// <summary>A run's last act: frees its target for the next state-changing run. Releases only a lock this run holds, so a retry is harmless.</summary>
public sealed class ReleaseTargetLockActivity : TaskActivity<TargetLockRelease, bool>
{
    private readonly ITargetLocks _locks;

    public ReleaseTargetLockActivity(ITargetLocks locks)
    {
        _locks = locks;
    }

    public override Task<bool> RunAsync(TaskActivityContext context, TargetLockRelease input) =>
        _locks.ReleaseAsync(input.Target, input.InstanceId, CancellationToken.None);
}
