namespace Remediation.Probes;

/// <summary>An active query running longer than the runbook's threshold: who, for how long, and what.</summary>
public sealed record LongRunningQuery(int Pid, TimeSpan Duration, string Query);
