using Remediation.Intake;

namespace Remediation.Tests.Server.Api.Bodies;

/// <summary>An intake that counts the requests that reach it and refuses them all, so a test can tell whether a body got past the guards.</summary>
internal sealed class RecordingIntake : IRemediationIntake
{
    private int _started;

    public int Started => _started;

    public Task<IntakeResult> StartAsync(string requestBody, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _started);
        return Task.FromResult(IntakeResult.Rejected(422, $"reached the intake with {requestBody.Length} characters"));
    }

    public Task<IntakeResult> StartAsync(RemediationRequest request, string instanceId, Remediation.Runs.RunTrigger trigger, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _started);
        return Task.FromResult(IntakeResult.Rejected(422, $"reached the intake for {request.Target}"));
    }

    public Task<RemediationView?> GetAsync(string instanceId, CancellationToken cancellationToken) => Task.FromResult<RemediationView?>(null);

    public Task<string?> GetRestartLogAsync(string instanceId, CancellationToken cancellationToken) => Task.FromResult<string?>(null);

    public Task<string?> FileTerminatedAsync(string instanceId, string? reason, CancellationToken cancellationToken) => Task.FromResult<string?>(null);
}
