namespace Remediation.Intake.Approvals;

/// <summary>Which runs wait for approval (section "Remediation:Approvals").</summary>
public sealed class ApprovalPolicyOptions
{
    public const string Section = "Remediation:Approvals";

    /// <summary>The default rules: alert-triggered restarts of PostgreSQL and of the whole stack.</summary>
    public static IReadOnlyList<string> DefaultRequired { get; } = ["alert:restart-postgresql", "alert:restart-stack"];

    /// <summary>
    /// Rules "trigger:procedure" (either side may be <c>*</c>) whose runs always wait for approval; unset means
    /// <see cref="DefaultRequired"/>, <c>["none"]</c> means no rule.
    /// </summary>
    public string[]? Required { get; set; }

    /// <summary>Runs that force their way past a users, crons or long-query blocker wait for approval (default true).</summary>
    public bool WhenForcedPastBlockers { get; set; } = true;

    /// <summary>Seconds a run waits for a decision before it aborts (default 1800).</summary>
    public int TimeoutSeconds { get; set; } = 1800;
}
