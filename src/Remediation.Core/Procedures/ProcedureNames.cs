namespace Remediation.Procedures;

/// <summary>The procedures' names as callers write them (the runbook's sections).</summary>
public static class ProcedureNames
{
    /// <summary>Runbook §1: graceful restart of one service, force path when it fails, verification, restart log.</summary>
    public const string RestartService = "restart-service";
}
