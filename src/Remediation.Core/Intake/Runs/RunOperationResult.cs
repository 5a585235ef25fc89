namespace Remediation.Intake.Runs;

/// <summary>The answer to an operation on a run, host-neutral: an HTTP status with a body, or a problem with its detail (and extra fields).</summary>
public sealed record RunOperationResult
{
    public required int Status { get; init; }

    /// <summary>The body of a successful answer.</summary>
    public object? Body { get; init; }

    /// <summary>The problem's detail when <see cref="Succeeded"/> is false.</summary>
    public string? Error { get; init; }

    /// <summary>Extra members of the problem (e.g. the plan hash awaiting approval).</summary>
    public IReadOnlyDictionary<string, object?>? Extensions { get; init; }

    /// <summary>The run the answer is about: hosts send its status URL as <c>Location</c> with a 202.</summary>
    public string? InstanceId { get; init; }

    public bool Succeeded => Status is >= 200 and < 300;

    public static RunOperationResult Accepted(string instanceId, object body) => new() { Status = 202, Body = body, InstanceId = instanceId };

    public static RunOperationResult Ok(object body) => new() { Status = 200, Body = body };

    public static RunOperationResult Problem(int status, string error, IReadOnlyDictionary<string, object?>? extensions = null) =>
        new() { Status = status, Error = error, Extensions = extensions };
}
