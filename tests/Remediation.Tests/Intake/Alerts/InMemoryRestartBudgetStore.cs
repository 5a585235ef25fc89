using System.Collections.Concurrent;
using Remediation.Intake.Budget;

namespace Remediation.Tests.Intake.Alerts;

/// <summary>Budget ledgers with the blob store's semantics (create only if absent, replace only at the version read).</summary>
internal sealed class InMemoryRestartBudgetStore : IRestartBudgetStore
{
    private readonly ConcurrentDictionary<string, (RestartBudgetLedger Ledger, string ETag)> _ledgers = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public Task<(RestartBudgetLedger? Ledger, string? ETag)> ReadAsync(string target, CancellationToken cancellationToken) =>
        Task.FromResult(_ledgers.TryGetValue(target, out var entry) ? ((RestartBudgetLedger?)entry.Ledger, (string?)entry.ETag) : (null, null));

    public Task<bool> TryWriteAsync(string target, RestartBudgetLedger ledger, string? etag, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            bool exists = _ledgers.TryGetValue(target, out var current);
            if ((etag is null && exists) || (etag is not null && (!exists || current.ETag != etag)))
            {
                return Task.FromResult(false);
            }

            _ledgers[target] = (ledger, Guid.NewGuid().ToString("N"));
            return Task.FromResult(true);
        }
    }

    public RestartBudgetLedger? LedgerOf(string target) => _ledgers.TryGetValue(target, out var entry) ? entry.Ledger : null;
}
