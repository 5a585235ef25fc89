namespace Remediation.ServiceManagers;

/// <summary>A process still running after its service was stopped, as <c>pgrep -a</c> lists it.</summary>
public sealed record LeftoverProcess(int Pid, string CommandLine);
