using Remediation.Inventory;

namespace Remediation.Procedures.Rollout;

/// <summary>
/// How long a procedure can take on a target at most, from the inventory's own limits: every wait it may make runs to its
/// timeout (graceful stop <c>gracefulTimeoutSeconds</c>, readiness <c>readinessTimeoutSeconds</c>), the force path is taken
/// where a procedure has one, plus a fixed allowance for pre-checks, verification and the record. A planned run starts only
/// when this bound ends before the window does: a run that could overrun is not started.
/// </summary>
public static class ProcedureDurationEstimate
{
    /// <summary>Pre-checks, the post-restart verification (readiness probes, log scan, login, page load) and filing the record.</summary>
    public static readonly TimeSpan ChecksAllowance = TimeSpan.FromSeconds(60);

    public static RunEstimate For(TargetDefinition target, string procedure, string? service)
    {
        ArgumentNullException.ThrowIfNull(target);
        ServiceDefinition? named = service is null ? null : target.FindService(service);
        static int Cycle(ServiceDefinition s) => s.GracefulTimeoutSeconds + s.ReadinessTimeoutSeconds;
        (int seconds, string basis) = procedure switch
        {
            ProcedureNames.RestartService when named is not null =>
                (2 * Cycle(named), $"graceful restart and force path of {named.Name}: 2 × ({named.GracefulTimeoutSeconds} s stop + {named.ReadinessTimeoutSeconds} s readiness)"),
            ProcedureNames.RestartPostgresql when (named ?? target.Services.FirstOrDefault(s => s.Kind == ServiceKind.Postgresql)) is { } pg =>
                PostgresqlBound(target, pg),
            ProcedureNames.ReloadNginx when (named ?? target.Services.FirstOrDefault(s => s.Kind == ServiceKind.Nginx)) is { } nginx =>
                (2 * Cycle(nginx), $"config test and reload or restart of {nginx.Name}, force path included: 2 × ({nginx.GracefulTimeoutSeconds} s + {nginx.ReadinessTimeoutSeconds} s)"),
            ProcedureNames.RestartStack =>
                (target.Services.Sum(Cycle), $"every service stopped and started in order: {string.Join(" + ", target.Services.Select(s => $"{s.Name} {Cycle(s)} s"))}"),
            ProcedureNames.Verify => (0, "read-only verification"),
            _ => (target.Services.Sum(Cycle), "unknown procedure: the whole stack's stop and start"),
        };

        TimeSpan total = TimeSpan.FromSeconds(seconds) + ChecksAllowance;
        return new RunEstimate(total.TotalSeconds, $"{basis}, + {ChecksAllowance.TotalSeconds:0} s for checks, verification and the record");
    }

    private static (int, string) PostgresqlBound(TargetDefinition target, ServiceDefinition pg)
    {
        ServiceDefinition[] dependents = [.. DependencyGraph.DependentsOf(target, pg.Name)];
        int seconds = (2 * (pg.GracefulTimeoutSeconds + pg.ReadinessTimeoutSeconds)) + dependents.Sum(d => d.GracefulTimeoutSeconds + d.ReadinessTimeoutSeconds);
        return (seconds, $"{pg.Name} restart with force path 2 × {pg.GracefulTimeoutSeconds + pg.ReadinessTimeoutSeconds} s, dependents stopped and started: {string.Join(", ", dependents.Select(d => d.Name))}");
    }
}
