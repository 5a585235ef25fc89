namespace Remediation.Procedures;

/// <summary>The procedures' names as callers write them (the runbook's sections).</summary>
public static class ProcedureNames
{
    /// <summary>Runbook §1: graceful restart of one service, force path when it fails, verification, restart log.</summary>
    public const string RestartService = "restart-service";

    /// <summary>Runbook §2: PostgreSQL restart with its dependents stopped before and started after.</summary>
    public const string RestartPostgresql = "restart-postgresql";

    /// <summary>Runbook §3: <c>nginx -t</c>, then reload (or restart on request).</summary>
    public const string ReloadNginx = "reload-nginx";

    /// <summary>Runbook §4: the full stack, stopped in reverse dependency order and started in order.</summary>
    public const string RestartStack = "restart-stack";

    /// <summary>Runbook "Post-Restart Verification" and the success criteria, on their own.</summary>
    public const string Verify = "verify";

    /// <summary>Not a runbook procedure: the record of an automatic trigger that escalated to people instead of acting (restart budget).</summary>
    public const string Escalate = "escalate";
}
