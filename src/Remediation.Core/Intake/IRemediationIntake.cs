using Remediation.Runs;
namespace Remediation.Intake;

/// <summary>The one entry point every trigger calls: parse, validate, route, dedupe, then schedule. No side effect before validation passes.</summary>
public interface IRemediationIntake
{
    /// <summary>Parses a JSON request body and starts (or joins) the remediation it asks for.</summary>
    Task<IntakeResult> StartAsync(string requestBody, CancellationToken cancellationToken);

    /// <summary>
    /// Starts (or joins) a request a planned run makes, under the caller's <paramref name="instanceId"/> (deterministic, so
    /// a retried caller finds its run): the same validation and per-target lock as a request body, recorded with the
    /// caller's <paramref name="trigger"/> (a maintenance window's is a schedule).
    /// </summary>
    Task<IntakeResult> StartAsync(RemediationRequest request, string instanceId, RunTrigger trigger, CancellationToken cancellationToken);

    /// <summary>
    /// The same for a caller whose credential may name them (the requester recorded and checked against approvers) and
    /// limit them to some procedures (403 otherwise).
    /// </summary>
    /// <remarks>The default ignores the caller; <see cref="RemediationIntake"/> honours it.</remarks>
    Task<IntakeResult> StartAsync(string requestBody, RequestCaller caller, CancellationToken cancellationToken) => StartAsync(requestBody, cancellationToken);

    /// <summary>A run's progress, steps, outputs and artifacts; null when no such run exists.</summary>
    Task<RemediationView?> GetAsync(string instanceId, CancellationToken cancellationToken);

    /// <summary>The run's restart log (markdown, the runbook's template); null when the run is unknown or has not filed one yet.</summary>
    Task<string?> GetRestartLogAsync(string instanceId, CancellationToken cancellationToken);

    /// <summary>Files the record of a run that was just terminated (from the progress it had published); returns the restart log's link, or null when it cannot be told.</summary>
    Task<string?> FileTerminatedAsync(string instanceId, string? reason, CancellationToken cancellationToken);
}
