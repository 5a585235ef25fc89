namespace Remediation.ServiceManagers;

/// <summary>What the service manager says about a unit: normalised state, its raw words, and the main PID.</summary>
public sealed record ServiceStatus(string Unit, ServiceState State, string RawState, int? MainPid, string Detail)
{
    public bool IsRunning => State == ServiceState.Running;
}
