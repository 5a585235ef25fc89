using Microsoft.Extensions.Options;
using Remediation.Inventory;
using Remediation.Procedures;
using Remediation.Runs;

namespace Remediation.Intake.Budget;

/// <summary>
/// The restart budget across every trigger and every server process: reads the target's ledger, judges the request
/// (<see cref="RestartBudgetRules"/>) and stores the result only if nobody else wrote the ledger meanwhile, else reads again.
/// </summary>
/// <remarks>
/// A blob per target with ETag conditions rather than a durable entity: the intake must decide before it schedules
/// anything (escalate instead of starting a run), in one storage round trip or two, on both hosts; an entity would need
/// its own orchestration round trip per alert, and the Functions and self-hosted runtimes handle entities differently.
/// </remarks>
public sealed class RestartBudget(IRestartBudgetStore store, IOptions<RestartBudgetOptions> options, TimeProvider time)
{
    private const int MaxAttempts = 10;

    /// <summary>The services a request would restart (a reload restarts nothing; restart-postgresql restarts its dependents too).</summary>
    public static IReadOnlyList<string> RestartedBy(ValidatedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.Procedure.ChangesState || request.DryRun)
        {
            return [];
        }

        return request.Procedure.Name switch
        {
            ProcedureNames.RestartService => [request.Service!.Name],
            ProcedureNames.RestartPostgresql => [request.Service!.Name, .. DependencyGraph.DependentsOf(request.Target, request.Service!.Name).Select(s => s.Name)],
            ProcedureNames.ReloadNginx => request.Mode == Procedures.ReloadNginx.ReloadNginxRequest.RestartMode ? [request.Service!.Name] : [],
            ProcedureNames.RestartStack => [.. request.Target.Services.Select(s => s.Name)],
            _ => [],
        };
    }

    /// <summary>Counts the request against the budget, or refuses it (automatic triggers only) with the reason.</summary>
    public async Task<BudgetDecision> TakeAsync(ValidatedRequest request, string instanceId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        IReadOnlyList<string> services = RestartedBy(request);
        if (services.Count == 0)
        {
            return BudgetDecision.Allow([]);
        }

        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            (RestartBudgetLedger? ledger, string? etag) = await store.ReadAsync(request.Target.Name, cancellationToken);
            (BudgetDecision decision, RestartBudgetLedger? updated) = RestartBudgetRules.Decide(
                ledger ?? new RestartBudgetLedger(), services, request.Trigger, instanceId, time.GetUtcNow().UtcDateTime, options.Value);
            if (updated is null || await store.TryWriteAsync(request.Target.Name, updated, etag, cancellationToken))
            {
                return decision;
            }
        }

        // Ten writers in a row came first: refusing an automatic restart is the safe side of not knowing.
        return request.Trigger.IsAutomatic
            ? new BudgetDecision(false, $"the restart budget of {request.Target.Name} could not be updated ({MaxAttempts} concurrent writers in a row); escalating rather than restarting uncounted", [])
            : BudgetDecision.Allow([]);
    }
}
