namespace Remediation.Runs;

/// <summary>A file the run left in Blob storage: its kind ("restart-log", "record", later backups and config snapshots) and address.</summary>
public sealed record RunArtifact(string Kind, string Uri);
