using Remediation.Procedures.Rollout;

namespace Remediation.Artifacts;

/// <summary>Files a rollout's JSON record and markdown summary, and reads them back by the rollout's id.</summary>
public interface IRolloutRecords
{
    /// <summary>Writes both under names from the instance id and start date (a retry overwrites); the links are the summary's and the record's.</summary>
    Task<ArtifactLinks> WriteAsync(RolloutRecord record, CancellationToken cancellationToken);
}
