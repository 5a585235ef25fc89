namespace Remediation.Intake.Alerts;

/// <summary>Files alert receipts in batches (blob <c>alert-intake/yyyy/MM/dd/&lt;batch&gt;.json</c>), so an ignored alert is on record, not just logged.</summary>
public interface IAlertReceipts
{
    /// <summary>Files the receipt and answers it with the id it was filed under; completes once it is stored.</summary>
    Task<AlertReceipt> FileAsync(string source, DateTime receivedUtc, IReadOnlyList<AlertOutcome> alerts);

    /// <summary>A filed receipt by id; null when unknown.</summary>
    Task<AlertReceipt?> ReadAsync(string id, CancellationToken cancellationToken);
}
