namespace Remediation.Procedures.RestartPostgresql;

/// <summary>The input of a restart-postgresql run (runbook §2), as accepted by the intake.</summary>
public sealed record RestartPostgresqlRequest : ProcedureRequest
{
    public const int DefaultLongQueryThresholdSeconds = 60;

    /// <summary>The PostgreSQL service of the target.</summary>
    public required string Service { get; init; }

    /// <summary>Active queries older than this block the restart unless forced (runbook: "long-running queries", more than 1 minute).</summary>
    public int LongQueryThresholdSeconds { get; init; } = DefaultLongQueryThresholdSeconds;
}
