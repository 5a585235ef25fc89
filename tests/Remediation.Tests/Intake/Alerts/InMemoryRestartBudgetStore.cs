using Remediation.Intake.Budget;

namespace Remediation.Tests.Intake.Alerts;

/// <summary>Budget ledgers with the blob store's semantics (create only if absent, replace only at the version read).</summary>
internal sealed class InMemoryRestartBudgetStore : IRestartBudgetStore
{
    private readonly InMemoryVersionedDocuments<RestartBudgetLedger> _ledgers = new();

    public Task<(RestartBudgetLedger? Ledger, string? ETag)> ReadAsync(string target, CancellationToken cancellationToken) => _ledgers.ReadAsync(target);

    public Task<bool> TryWriteAsync(string target, RestartBudgetLedger ledger, string? etag, CancellationToken cancellationToken) =>
        _ledgers.TryWriteAsync(target, ledger, etag);

    public RestartBudgetLedger? LedgerOf(string target) => _ledgers.Get(target);
}
