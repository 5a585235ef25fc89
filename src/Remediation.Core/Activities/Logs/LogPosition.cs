namespace Remediation.Activities.Logs;

/// <summary>How long a log file was when the restart began; errors are counted only after this point.</summary>
public sealed record LogPosition(string Path, long Offset);
