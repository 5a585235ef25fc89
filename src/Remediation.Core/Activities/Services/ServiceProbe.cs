using Remediation.Probes;

namespace Remediation.Activities.Services;

/// <summary>One service's readiness probe answer during verification.</summary>
public sealed record ServiceProbe(string Service, string Probe, bool IsHttp, ProbeResult Result);
