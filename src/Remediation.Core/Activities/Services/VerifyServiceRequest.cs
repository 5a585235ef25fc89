using Remediation.Activities.Logs;

namespace Remediation.Activities.Services;

/// <summary>Verify one service after a restart; its logs are scanned from the given positions (where the restart began).</summary>
public sealed record VerifyServiceRequest(string Target, string Service, IReadOnlyList<LogPosition> LogPositions);
