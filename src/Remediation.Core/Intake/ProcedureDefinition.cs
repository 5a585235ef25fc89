using Remediation.Inventory;

namespace Remediation.Intake;

/// <summary>
/// One procedure's knowledge in one place: its name, the orchestrator that runs it, what it acts on, whether it
/// changes the target (and so takes the target's lock), which modes it accepts, and how its input is built.
/// </summary>
public sealed record ProcedureDefinition
{
    public required string Name { get; init; }
    public required string Orchestrator { get; init; }
    public required ProcedureScope Scope { get; init; }

    /// <summary>For <see cref="ProcedureScope.ServiceOfKind"/>: the kind of service it needs.</summary>
    public ServiceKind? Kind { get; init; }

    /// <summary>False for read-only procedures: they take no lock and may run beside a state-changing run.</summary>
    public bool ChangesState { get; init; } = true;

    /// <summary>Modes a request may ask for (first is the default); empty when the procedure has none.</summary>
    public IReadOnlyList<string> Modes { get; init; } = [];

    /// <summary>Kinds this procedure refuses, with the procedure to use instead (restart-service on PostgreSQL → restart-postgresql).</summary>
    public IReadOnlyDictionary<ServiceKind, string> UseInstead { get; init; } = new Dictionary<ServiceKind, string>();

    public required Func<ValidatedRequest, object> BuildInput { get; init; }

    /// <summary>Two requests with the same key on one target are the same run: the second joins the first.</summary>
    public string DuplicateKey(ValidatedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return $"{Name}:{request.Service?.Name ?? "*"}:{request.Mode ?? "-"}";
    }
}
