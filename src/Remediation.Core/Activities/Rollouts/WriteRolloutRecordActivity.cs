using Microsoft.DurableTask;
using Remediation.Artifacts;
using Remediation.Procedures.Rollout;

namespace Remediation.Activities.Rollouts;

/// <summary>Files the rollout's record and summary under names from its instance id, so a retry overwrites them.</summary>
public sealed class WriteRolloutRecordActivity : TaskActivity<RolloutRecord, ArtifactLinks>
{
    private readonly IRolloutRecords _records;

    public WriteRolloutRecordActivity(IRolloutRecords records)
    {
        _records = records;
    }

    public override Task<ArtifactLinks> RunAsync(TaskActivityContext context, RolloutRecord input) =>
        _records.WriteAsync(input, CancellationToken.None);
}
