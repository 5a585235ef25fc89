namespace Remediation.Runs;

/// <summary>Thrown inside an orchestrator when a cancel request has arrived and the next step is about to begin.</summary>
public sealed class RunCancelledException : Exception
{
    public RunCancelledException(string nextStep, CancelRequest request)
        : base($"cancelled before '{nextStep}'")
    {
        NextStep = nextStep;
        Request = request;
    }

    public RunCancelledException()
    {
        NextStep = "";
        Request = new CancelRequest();
    }

    public RunCancelledException(string message)
        : base(message)
    {
        NextStep = "";
        Request = new CancelRequest();
    }

    public RunCancelledException(string message, Exception innerException)
        : base(message, innerException)
    {
        NextStep = "";
        Request = new CancelRequest();
    }

    public string NextStep { get; }

    public CancelRequest Request { get; }
}
