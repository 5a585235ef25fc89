namespace Remediation.Intake;

/// <summary>What a caller asks for: a procedure on a target (and service), why, and by whom.</summary>
public sealed record RemediationRequest
{
    public string? Target { get; init; }
    public string? Procedure { get; init; }
    public string? Service { get; init; }
    public string? Reason { get; init; }
    public string? RequestedBy { get; init; }
    public bool Force { get; init; }
    public bool DryRun { get; init; }
}
