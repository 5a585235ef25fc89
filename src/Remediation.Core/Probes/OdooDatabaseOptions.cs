namespace Remediation.Probes;

/// <summary>Timeouts for the runbook's SQL checks: short, because a check that hangs tells us as much as one that fails.</summary>
public sealed class OdooDatabaseOptions
{
    /// <summary>Configuration section bound by <c>AddSshAndProbes</c>.</summary>
    public const string SectionName = "Remediation:Database";

    /// <summary>Connection establishment (Npgsql counts whole seconds; rounded up).</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>One statement (Npgsql counts whole seconds; rounded up).</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Shown in <c>pg_stat_activity.application_name</c>, so a DBA can tell our sessions apart.</summary>
    public string ApplicationName { get; set; } = "remediation";
}
