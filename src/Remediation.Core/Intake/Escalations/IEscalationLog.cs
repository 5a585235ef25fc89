namespace Remediation.Intake.Escalations;

/// <summary>Where escalation entries live: read with a version, written only if the version is unchanged (across processes).</summary>
public interface IEscalationLog
{
    /// <summary>The entry for <paramref name="problem"/> on the target and its version; (null, null) when there is none.</summary>
    Task<(EscalationEntry? Entry, string? ETag)> ReadAsync(string target, string problem, CancellationToken cancellationToken);

    /// <summary>Writes the entry if it is still at <paramref name="etag"/> (null: only if none exists); false when another writer came first.</summary>
    Task<bool> TryWriteAsync(string target, string problem, EscalationEntry entry, string? etag, CancellationToken cancellationToken);
}
