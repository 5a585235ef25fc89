namespace Remediation.Runs;

/// <summary>Who asked a run to stop, and why: the payload of the run's <see cref="Run.CancelEvent"/>.</summary>
public sealed record CancelRequest(string RequestedBy = "", string Reason = "");
