namespace Remediation.Runs;

/// <summary>
/// An alert that arrived for a target whose run was already in progress: raised on the run as <see cref="Run.AlertEvent"/>
/// (firing, attached and counted) or <see cref="Run.ResolvedEvent"/> (resolved: cancels the run if nothing was changed yet).
/// </summary>
public sealed record AlertAttachment(string Source, string Status, string? SourceFingerprint, string? AlertRule, string Key, DateTime ReceivedUtc);
