namespace Remediation.Activities.Rollouts;

/// <summary>What the intake answered a planned run: started (or joined) with the run's id, or refused with its status and reason.</summary>
public sealed record PlannedStartResult(bool Accepted, string? InstanceId, bool JoinedExisting, int? ErrorStatus, string? Error, string? RunningInstanceId);
