using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Remediation.Intake;

namespace Remediation.Activities.Rollouts;

/// <summary>
/// Starts a planned run's procedure through the intake — the same validation and per-target lock as every other request.
/// Reads first: when an earlier attempt of this activity already started the run, it answers with that run.
/// </summary>
public sealed class StartPlannedRemediationActivity : TaskActivity<PlannedStart, PlannedStartResult>
{
    private readonly IRemediationIntake _intake;
    private readonly DurableTaskClient _client;

    public StartPlannedRemediationActivity(IRemediationIntake intake, DurableTaskClient client)
    {
        _intake = intake;
        _client = client;
    }

    public override async Task<PlannedStartResult> RunAsync(TaskActivityContext context, PlannedStart input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (await _client.GetInstanceAsync(input.InstanceId, getInputsAndOutputs: false, CancellationToken.None) is not null)
        {
            return new PlannedStartResult(true, input.InstanceId, false, null, null, null);
        }

        IntakeResult result = await _intake.StartAsync(input.Request, input.InstanceId, input.Trigger ?? new Remediation.Runs.RunTrigger(), CancellationToken.None);
        return new PlannedStartResult(result.Accepted, result.InstanceId, result.JoinedExisting, result.ErrorStatus, result.Error, result.RunningInstanceId);
    }
}
