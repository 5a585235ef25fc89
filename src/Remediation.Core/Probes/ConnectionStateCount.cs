namespace Remediation.Probes;

/// <summary>How many backends are in one <c>pg_stat_activity.state</c> (null for background workers).</summary>
public sealed record ConnectionStateCount(string? State, long Total);
