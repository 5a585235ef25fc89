namespace Remediation.ServiceManagers;

/// <summary>What a start, stop or restart command's own output proves about the unit afterwards.</summary>
public enum CommandOutcome
{
    /// <summary>The manager started the unit and calls it running ("odoo: started" — supervisor says so only after <c>startsecs</c>).</summary>
    Started,

    /// <summary>The unit was already running (or starting); nothing was done.</summary>
    AlreadyStarted,

    /// <summary>The manager stopped the unit; its process has exited.</summary>
    Stopped,

    /// <summary>The unit was not running when asked to stop; whether it is still stopping only a status read tells.</summary>
    NotRunning,
}
