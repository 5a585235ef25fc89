namespace Remediation.Activities.Postgresql;

/// <summary>Check a target's PostgreSQL before a restart; queries active longer than <paramref name="LongQueryThresholdSeconds"/> block it.</summary>
public sealed record PostgresqlCheckRequest(string Target, int LongQueryThresholdSeconds);
