namespace Remediation.Probes;

/// <summary>One probe's answer: healthy or not, how long it took, and what was seen.</summary>
public sealed record ProbeResult(bool Healthy, long LatencyMs, string Detail, int? StatusCode = null);
