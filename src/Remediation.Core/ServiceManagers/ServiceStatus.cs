namespace Remediation.ServiceManagers;

/// <summary>What the service manager says about a unit: normalised state, its raw words, and the main PID.</summary>
public sealed record ServiceStatus(string Unit, ServiceState State, string RawState, int? MainPid, string Detail)
{
    public bool IsRunning => State == ServiceState.Running;

    /// <summary>The state a manager's own command reported (see <see cref="IServiceManager.OutcomeOf"/>); the PID is left to the next status read.</summary>
    public static ServiceStatus Reported(string unit, ServiceState state, Ssh.CommandResult command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return new ServiceStatus(unit, state, state == ServiceState.Running ? "RUNNING" : "STOPPED", null, $"as reported by {command.Summary()}");
    }
}
