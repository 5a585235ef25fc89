namespace Remediation.Intake;

/// <summary>The intake's answer: a started (or joined) run, or a rejection with the HTTP status and a message that says what is wrong.</summary>
public sealed record IntakeResult
{
    public string? InstanceId { get; init; }

    /// <summary>True when an identical remediation was already running and the request joined it.</summary>
    public bool JoinedExisting { get; init; }

    /// <summary>400, 404, 409 or 422 when rejected; null when accepted.</summary>
    public int? ErrorStatus { get; init; }

    public string? Error { get; init; }

    /// <summary>With a 409: the run that holds the target.</summary>
    public string? RunningInstanceId { get; init; }

    public bool Accepted => ErrorStatus is null;

    /// <summary>True when an automatic trigger was past the restart budget: <see cref="InstanceId"/> is the escalation, not a remediation.</summary>
    public bool EscalatedInstead { get; init; }

    /// <summary>Things the intake noticed on the way (a failed remediation found by the soak rule).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    public static IntakeResult Escalated(string escalationId, string why) => new() { InstanceId = escalationId, EscalatedInstead = true, Error = why };

    public static IntakeResult Started(string instanceId, bool joinedExisting) =>
        new() { InstanceId = instanceId, JoinedExisting = joinedExisting };

    public static IntakeResult Rejected(int status, string error) => new() { ErrorStatus = status, Error = error };

    public static IntakeResult Busy(string error, string runningInstanceId) => new() { ErrorStatus = 409, Error = error, RunningInstanceId = runningInstanceId };
}
