using Remediation.Runs;

namespace Remediation.Artifacts;

/// <summary>Where a run's restart log and JSON record were filed.</summary>
public sealed record ArtifactLinks(string RestartLog, string Record)
{
    public const string RestartLogKind = "restart-log";
    public const string RecordKind = "record";

    public IReadOnlyList<RunArtifact> AsArtifacts() => [new(RestartLogKind, RestartLog), new(RecordKind, Record)];
}
