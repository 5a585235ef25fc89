using Remediation.ServiceManagers;

namespace Remediation.Activities.Services;

/// <summary>The outcome of a guarded stop or start: whether it acted, the command's outcome, and the state afterwards.</summary>
public sealed record ServiceActionResult(bool Changed, string Summary, bool CommandSucceeded, ServiceStatus After);
