using Remediation.Runs;
using Remediation.Intake;

namespace Remediation.Activities.Rollouts;

/// <summary>A remediation a planned run starts through the intake, under an instance id of its own choosing (so a retry finds it).</summary>
public sealed record PlannedStart(string InstanceId, RemediationRequest Request, RunTrigger? Trigger = null);
