namespace Remediation.Schedules;

/// <summary>A maintenance or freeze window that cannot be used, with the window, the field and the problem named.</summary>
public sealed class ScheduleException : Exception
{
    public ScheduleException()
    {
    }

    public ScheduleException(string message)
        : base(message)
    {
    }

    public ScheduleException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
