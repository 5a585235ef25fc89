using System.Globalization;
using Remediation.Probes;
using System.Security.Cryptography;
using System.Text;
using Remediation.Ssh;

namespace Remediation.Activities.Services;

/// <summary>
/// A claim on the target that one attempt of a run's restart step is restarting the service away from the PID the
/// pre-checks saw: a directory made with <c>mkdir</c>, which succeeds for exactly one caller.
/// </summary>
/// <remarks>
/// The PID check alone is not enough when two deliveries of the same step run at once (a storage outage lets the
/// activity message reappear while its first delivery still runs, or an orchestration completion that was sent but
/// not saved schedules the step again): both read the old PID before either has restarted it, and both would restart.
/// The claim lives on the target, so it holds across server processes too. It sits in the SSH user's <c>/tmp</c>
/// and needs no sudo line. It is removed once the service runs as a new process: from then on the PID check stops any
/// later attempt, and an attempt that read the old PID just before then finds the new one when, claim in hand, it
/// looks again. A claim left by an attempt that died is removed by the attempt that finds its work done (or by a reboot,
/// which also changes every PID).
/// </remarks>
public static class RestartClaim
{
    // Straight in /tmp: one mkdir, no parent to prepare (the sticky bit keeps other users from removing it).
    private const string Prefix = "/tmp/remediation-claim-";

    /// <summary>The claim's name for one restart intent: this run, this service, away from this PID.</summary>
    public static string KeyOf(string instanceId, string target, string service, int? expectedPid)
    {
        ArgumentNullException.ThrowIfNull(instanceId);
        string intent = string.Join('\n', instanceId, target, service, expectedPid?.ToString(CultureInfo.InvariantCulture) ?? "none");
        return "restart-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(intent)))[..32];
    }

    /// <summary>Removes the claim; one that is already gone is no error.</summary>
    public static async Task ReleaseAsync(ISshSession ssh, string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ssh);
        await ssh.RunAsync(RemoteCommand.Run("/bin/rmdir", "--ignore-fail-on-non-empty", Prefix + key), TimeSpan.FromSeconds(10), cancellationToken);
    }

    /// <summary>Takes the claim; when another attempt holds it, says for how long (by the target's clock), or null if that cannot be read.</summary>
    public static async Task<ClaimOutcome> TakeAsync(ISshSession ssh, string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ssh);
        string path = Prefix + key;
        TimeSpan timeout = TimeSpan.FromSeconds(10);
        CommandResult claim = await ssh.RunAsync(RemoteCommand.Run("/bin/mkdir", path), timeout, cancellationToken);
        if (claim.Succeeded)
        {
            return new ClaimOutcome(Taken: true, HeldFor: null);
        }

        if (!claim.Stderr.Contains("File exists", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"could not take the restart claim {path} on the target ({claim.Summary()}); nothing was restarted");
        }

        CommandResult made = await ssh.RunAsync(RemoteCommand.Run("/usr/bin/date", "-r", path, "--rfc-3339=ns"), timeout, cancellationToken);
        CommandResult now = await ssh.RunAsync(TargetClock.Read, timeout, cancellationToken);
        return new ClaimOutcome(Taken: false, HeldFor: made.Succeeded && now.Succeeded && TargetClock.Parse(now.Stdout) - TargetClock.Parse(made.Stdout) is { } age ? age : null);
    }
}
