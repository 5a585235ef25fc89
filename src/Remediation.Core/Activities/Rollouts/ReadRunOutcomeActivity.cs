using System.Text.Json.Nodes;
using Microsoft.DurableTask;
using Remediation.Intake;

namespace Remediation.Activities.Rollouts;

/// <summary>Reads a remediation's state through the intake's view, which gives every ending (completed, failed, terminated) its record.</summary>
public sealed class ReadRunOutcomeActivity : TaskActivity<string, RunState>
{
    private readonly IRemediationIntake _intake;

    public ReadRunOutcomeActivity(IRemediationIntake intake)
    {
        _intake = intake;
    }

    public override async Task<RunState> RunAsync(TaskActivityContext context, string input)
    {
        RemediationView? view = await _intake.GetAsync(input, CancellationToken.None);
        if (view is null)
        {
            return new RunState(true, "Unknown", "Failed", $"remediation '{input}' does not exist");
        }

        bool finished = view.RuntimeStatus is "Completed" or "Failed" or "Terminated";
        string? outcome = Text(view.Result?["outcome"]) ?? (finished && view.RuntimeStatus != "Completed" ? "Failed" : null);
        string? resolution = Text(view.Result?["resolution"]) ?? view.Failure;
        return new RunState(finished, view.RuntimeStatus, outcome, resolution);
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue(out string? text) ? text : null;
}
