namespace Remediation.Procedures.ReloadNginx;

/// <summary>The input of a reload-nginx run (runbook §3), as accepted by the intake.</summary>
public sealed record ReloadNginxRequest : ProcedureRequest
{
    public const string ReloadMode = "reload";
    public const string RestartMode = "restart";

    /// <summary>The nginx service of the target.</summary>
    public required string Service { get; init; }

    /// <summary>"reload" (zero downtime, the default) or "restart".</summary>
    public string Mode { get; init; } = ReloadMode;
}
