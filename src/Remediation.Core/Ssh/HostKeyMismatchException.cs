namespace Remediation.Ssh;

/// <summary>The target's host key is not the pinned one. Never retried: it may be an attacker, or a rebuilt host.</summary>
public sealed class HostKeyMismatchException : Exception
{
    public HostKeyMismatchException(string message)
        : base(message)
    {
    }

    public HostKeyMismatchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public HostKeyMismatchException()
    {
    }
}
