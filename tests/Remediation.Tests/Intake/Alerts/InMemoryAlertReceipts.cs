using System.Collections.Concurrent;
using Remediation.Intake.Alerts;

namespace Remediation.Tests.Intake.Alerts;

/// <summary>Receipts kept in memory for intake tests.</summary>
internal sealed class InMemoryAlertReceipts : IAlertReceipts
{
    private readonly ConcurrentDictionary<string, AlertReceipt> _receipts = new(StringComparer.Ordinal);

    public IReadOnlyList<AlertReceipt> All => [.. _receipts.Values];

    public Task<AlertReceipt> FileAsync(string source, DateTime receivedUtc, IReadOnlyList<AlertOutcome> alerts)
    {
        var receipt = new AlertReceipt(Guid.NewGuid().ToString("N"), source, receivedUtc, alerts);
        _receipts[receipt.Id] = receipt;
        return Task.FromResult(receipt);
    }

    public Task<AlertReceipt?> ReadAsync(string id, CancellationToken cancellationToken) =>
        Task.FromResult(_receipts.TryGetValue(id, out AlertReceipt? receipt) ? receipt : null);
}
