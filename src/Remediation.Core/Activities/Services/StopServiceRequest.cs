namespace Remediation.Activities.Services;

/// <summary>Stop a service; <paramref name="PidBefore"/> is its process at the pre-checks, so a re-delivered stop can tell when the run's earlier attempt stopped it.</summary>
public sealed record StopServiceRequest(string Target, string Service, int? PidBefore);
