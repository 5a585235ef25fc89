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
}
