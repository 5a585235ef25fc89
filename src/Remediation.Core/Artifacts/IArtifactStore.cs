using Remediation.Runs;

namespace Remediation.Artifacts;

/// <summary>Files a run's restart log and JSON record.</summary>
public interface IArtifactStore
{
    /// <summary>Writes both artifacts under deterministic names, overwriting an earlier attempt of the same run.</summary>
    Task<ArtifactLinks> WriteRestartLogAsync(RunRecord record, CancellationToken cancellationToken);

    /// <summary>The text of an artifact this store filed, by the link it returned; null when there is no such artifact.</summary>
    Task<string?> ReadAsync(string link, CancellationToken cancellationToken);
}
