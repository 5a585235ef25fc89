using Remediation.Ssh;

namespace Remediation.ServiceManagers;

/// <summary>The service manager answered something we cannot read (unknown unit, daemon down, unexpected output).</summary>
public sealed class ServiceManagerException : Exception
{
    public ServiceManagerException(string message)
        : base(message)
    {
    }

    public ServiceManagerException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ServiceManagerException()
    {
    }

    /// <summary>
    /// A state-changing command sudo refused is a configuration problem of the target, not a hung service: the step
    /// fails (and is not retried) instead of the procedure taking the force path around it.
    /// </summary>
    public static CommandResult ThrowIfSudoRefused(CommandResult result) =>
        SudoRefusal.IsRefused(result) ? throw new ServiceManagerException(SudoRefusal.Explain(result)) : result;
}
