using Microsoft.DurableTask;
using Remediation.Ssh;

namespace Remediation.Procedures;

/// <summary>How procedures call activities that reach a target: an unreachable target is retried; a host-key mismatch or a failed command is not.</summary>
public static class TargetRetry
{
    public static TaskOptions Options { get; } = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 3,
        firstRetryInterval: TimeSpan.FromSeconds(2),
        backoffCoefficient: 2)
    {
        HandleFailure = failure => failure.IsCausedBy<SshUnreachableException>(),
    });
}
