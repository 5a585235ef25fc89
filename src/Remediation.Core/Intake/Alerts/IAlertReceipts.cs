namespace Remediation.Intake.Alerts;

/// <summary>Files alert receipts (blob <c>alert-intake/yyyy/MM/dd/&lt;id&gt;.json</c>), so an ignored alert is on record, not just logged.</summary>
public interface IAlertReceipts
{
    Task WriteAsync(AlertReceipt receipt, CancellationToken cancellationToken);

    /// <summary>A filed receipt by id; null when unknown.</summary>
    Task<AlertReceipt?> ReadAsync(string id, CancellationToken cancellationToken);
}
