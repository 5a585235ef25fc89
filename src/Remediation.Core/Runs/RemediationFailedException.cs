namespace Remediation.Runs;

/// <summary>A run ended without a healthy service; the message says which step failed and why. The restart log is filed first.</summary>
public sealed class RemediationFailedException : Exception
{
    public RemediationFailedException(string message)
        : base(message)
    {
    }

    public RemediationFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public RemediationFailedException()
    {
    }
}
