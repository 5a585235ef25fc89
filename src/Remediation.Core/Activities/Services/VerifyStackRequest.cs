using Remediation.Activities.Logs;

namespace Remediation.Activities.Services;

/// <summary>
/// Verify a whole target. Logs are scanned from <paramref name="LogPositions"/> (where the run began); a log without a
/// position is scanned over its last <see cref="VerifyStackActivity.LookBackBytes"/> bytes (the runbook's <c>tail -n 100</c>).
/// </summary>
public sealed record VerifyStackRequest(string Target, IReadOnlyList<LogPosition> LogPositions);
