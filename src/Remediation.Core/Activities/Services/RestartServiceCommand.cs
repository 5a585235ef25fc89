namespace Remediation.Activities.Services;

/// <summary>Restart one service, expecting it to be the process the pre-checks saw (<paramref name="ExpectedPid"/>).</summary>
public sealed record RestartServiceCommand(string Target, string Service, int? ExpectedPid);
