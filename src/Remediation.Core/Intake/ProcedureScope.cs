namespace Remediation.Intake;

/// <summary>What a procedure acts on, which decides how the request's <c>service</c> is read.</summary>
public enum ProcedureScope
{
    /// <summary>One service the request names (restart-service).</summary>
    NamedService,

    /// <summary>The target's service of the procedure's kind; the request may name it, or it is found by kind.</summary>
    ServiceOfKind,

    /// <summary>Every service of the target; the request names none.</summary>
    WholeTarget,
}
