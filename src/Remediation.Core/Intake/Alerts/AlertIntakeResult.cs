namespace Remediation.Intake.Alerts;

/// <summary>The answer to a webhook call: accepted (202) with the receipt, or refused with the status and reason and nothing done.</summary>
public sealed record AlertIntakeResult
{
    /// <summary>202 when accepted; 400, 404 or 422 when refused.</summary>
    public required int Status { get; init; }

    public string? Error { get; init; }

    public AlertReceipt? Receipt { get; init; }

    public static AlertIntakeResult Refused(int status, string error) => new() { Status = status, Error = error };
}
