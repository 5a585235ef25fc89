namespace Remediation.ServiceManagers;

/// <summary>A service's state, normalised across systemd and supervisor.</summary>
public enum ServiceState
{
    Unknown,
    Running,
    Starting,
    Stopping,
    Stopped,
    Failed,
}
