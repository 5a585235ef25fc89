using Remediation.Activities.Logs;

namespace Remediation.Activities.Services;

/// <summary>
/// Restart one service, expecting it to be the process the pre-checks saw (<paramref name="ExpectedPid"/>).
/// <paramref name="LogPositions"/> (where the logs ended at the pre-checks) let a re-delivered step find the new
/// process's own "listening" line when it measures an outage an interrupted delivery began.
/// </summary>
public sealed record RestartServiceCommand(string Target, string Service, int? ExpectedPid, IReadOnlyList<LogPosition>? LogPositions = null);
