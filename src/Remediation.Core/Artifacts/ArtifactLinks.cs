namespace Remediation.Artifacts;

/// <summary>Where a run's restart log and JSON record were filed.</summary>
public sealed record ArtifactLinks(string RestartLog, string Record);
