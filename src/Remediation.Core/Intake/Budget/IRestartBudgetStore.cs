namespace Remediation.Intake.Budget;

/// <summary>Where ledgers live: read with a version, written only if the version is unchanged (optimistic concurrency across processes).</summary>
public interface IRestartBudgetStore
{
    /// <summary>The target's ledger and its version; (null, null) when there is none yet.</summary>
    Task<(RestartBudgetLedger? Ledger, string? ETag)> ReadAsync(string target, CancellationToken cancellationToken);

    /// <summary>Writes the ledger if it is still at <paramref name="etag"/> (null: only if none exists); false when another writer came first.</summary>
    Task<bool> TryWriteAsync(string target, RestartBudgetLedger ledger, string? etag, CancellationToken cancellationToken);
}
