using Microsoft.DurableTask;
using Remediation.Procedures.Rollout;

namespace Remediation.Activities.Rollouts;

/// <summary>The longest the procedure can take on the target, from the inventory's timeouts (see <see cref="ProcedureDurationEstimate"/>).</summary>
public sealed class EstimateRunActivity : TaskActivity<RunEstimateRequest, RunEstimate>
{
    private readonly Inventory.Inventory _inventory;

    public EstimateRunActivity(Inventory.Inventory inventory)
    {
        _inventory = inventory;
    }

    public override Task<RunEstimate> RunAsync(TaskActivityContext context, RunEstimateRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Task.FromResult(ProcedureDurationEstimate.For(_inventory.GetTarget(input.Target), input.Procedure, input.Service));
    }
}
