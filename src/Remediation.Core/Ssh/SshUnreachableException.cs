namespace Remediation.Ssh;

/// <summary>The target could not be reached, or refused our key. Transient causes are retried by the orchestration.</summary>
public sealed class SshUnreachableException : Exception
{
    public SshUnreachableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SshUnreachableException(string message)
        : base(message)
    {
    }

    public SshUnreachableException()
    {
    }
}
