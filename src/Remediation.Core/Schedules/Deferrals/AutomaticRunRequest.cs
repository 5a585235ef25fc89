namespace Remediation.Schedules.Deferrals;

/// <summary>What alert routing asks the freeze gate about: the run it would start, and the alert's severity and fingerprint.</summary>
public sealed record AutomaticRunRequest
{
    public required string Target { get; init; }
    public required string Procedure { get; init; }
    public string? Service { get; init; }
    public string? Mode { get; init; }
    public string Reason { get; init; } = "";
    public string RequestedBy { get; init; } = "";
    public string? Severity { get; init; }
    public string? SourceFingerprint { get; init; }
}
