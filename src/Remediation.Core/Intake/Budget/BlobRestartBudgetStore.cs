using Azure.Storage.Blobs;
using Remediation.Storage;

namespace Remediation.Intake.Budget;

/// <summary>
/// Ledgers as blobs <c>restart-budgets/&lt;target&gt;.json</c>, written with <c>If-Match</c> (or <c>If-None-Match: *</c> for the
/// first): every server process on the task hub reads and updates the same ledger, and it outlives any of them.
/// </summary>
public sealed class BlobRestartBudgetStore(BlobServiceClient blobs) : IRestartBudgetStore
{
    public const string Container = "restart-budgets";

    private readonly VersionedJsonBlobs<RestartBudgetLedger> _ledgers = new(blobs, Container);

    public async Task<(RestartBudgetLedger? Ledger, string? ETag)> ReadAsync(string target, CancellationToken cancellationToken)
    {
        (RestartBudgetLedger? ledger, string? etag) = await _ledgers.ReadAsync(target + ".json", cancellationToken);

        // Unreadable: start afresh, but only over this very version.
        return etag is null ? (null, null) : (ledger ?? new RestartBudgetLedger(), etag);
    }

    public Task<bool> TryWriteAsync(string target, RestartBudgetLedger ledger, string? etag, CancellationToken cancellationToken) =>
        _ledgers.TryWriteAsync(target + ".json", ledger, etag, cancellationToken);
}
