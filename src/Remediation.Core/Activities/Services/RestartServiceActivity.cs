using System.Globalization;
using Microsoft.DurableTask;
using Remediation.Inventory;
using Remediation.Probes;
using Remediation.ServiceManagers;
using Remediation.Ssh;

namespace Remediation.Activities.Services;

/// <summary>
/// Runbook §1 "Graceful Restart": reads the service's state, restarts it only if it is still the process the
/// pre-checks saw, and watches readiness during and after the command to measure downtime. A re-delivered
/// attempt finds the new PID and does not restart a second time.
/// </summary>
public sealed class RestartServiceActivity : TaskActivity<RestartServiceCommand, RestartAttempt>
{
    private readonly Inventory.Inventory _inventory;
    private readonly ISshConnector _ssh;
    private readonly ServiceStatusReader _status;
    private readonly ServiceReadiness _readiness;
    private readonly EarlierOutageReader _earlier;
    private readonly HeldRestartClaims _claims;

    public RestartServiceActivity(
        Inventory.Inventory inventory, ISshConnector ssh, ServiceStatusReader status, ServiceReadiness readiness, EarlierOutageReader earlier, HeldRestartClaims claims)
    {
        _claims = claims;
        _inventory = inventory;
        _ssh = ssh;
        _status = status;
        _readiness = readiness;
        _earlier = earlier;
    }

    public override async Task<RestartAttempt> RunAsync(TaskActivityContext context, RestartServiceCommand input)
    {
        TargetDefinition target = _inventory.GetTarget(input.Target);
        ServiceDefinition service = target.GetService(input.Service);
        IServiceManager manager = _status.ManagerOf(target);
        await using ISshSession ssh = await _ssh.ConnectAsync(target, CancellationToken.None);

        ServiceStatus before = await ReadBeforeAsync(ssh, target, service, manager, input.ExpectedPid);
        (string action, RemoteCommand? command, string why) = Decide(before, input.ExpectedPid, manager, service);
        string? claimNote = null;
        string? claimKey = null;
        string intent = RestartClaim.KeyOf(context.InstanceId, input.Target, input.Service, input.ExpectedPid);
        if (action == "restart")
        {
            ClaimOutcome claim = await RestartClaim.TakeAsync(ssh, intent, CancellationToken.None);
            ServiceStatus again = claim.Taken ? await ReadBeforeAsync(ssh, target, service, manager, input.ExpectedPid) : before;
            if (claim.Taken && again.MainPid != input.ExpectedPid && again.State is ServiceState.Running or ServiceState.Starting)
            {
                // Another attempt restarted it between our read and our claim (and released its claim): done already.
                await RestartClaim.ReleaseAsync(ssh, intent, CancellationToken.None);
                before = again;
                (action, command, why) = Decide(before, input.ExpectedPid, manager, service);
            }
            else if (claim.Taken || _claims.HolderEnded(intent))
            {
                claimKey = intent;
                _claims.Took(intent);
                claimNote = claim.Taken ? null : "an earlier attempt of this process took the restart claim and ended without restarting; restarting now";
            }
            else
            {
                (ServiceStatus? restarted, string note) = await WaitForClaimHolderAsync(ssh, target, service, manager, input.ExpectedPid, claim.HeldFor);
                claimNote = note;
                if (restarted is not null)
                {
                    before = restarted;
                    (action, command, why) = ("none", null, note);
                }
                else
                {
                    claimKey = intent;
                    _claims.Took(intent);
                }
            }
        }

        if (command is null)
        {
            if (input.ExpectedPid is { } gone && before.MainPid is { } now && now != gone)
            {
                // Restarted by an earlier attempt, which may have died holding the claim: the PID check guards from here.
                await RestartClaim.ReleaseAsync(ssh, intent, CancellationToken.None);
            }

            ReadinessOutcome waited = await _readiness.WaitAsync(ssh, target, service, during: null, known: null, CancellationToken.None);
            string? restartedEarlier = input.ExpectedPid is { } old && before.MainPid != old && before.State is ServiceState.Running or ServiceState.Starting
                ? $"{service.UnitName} was restarted by an earlier attempt that was interrupted before it could report (pid {old} -> {before.MainPid?.ToString(CultureInfo.InvariantCulture) ?? "starting"}); its outage was not watched"
                : null;
            (EarlierOutage? outage, string? whyNot) = restartedEarlier is null
                ? (null, null)
                : await _earlier.ReadAsync(ssh, target, service, input.ExpectedPid!.Value, input.LogPositions ?? [], waited.Timeline, CancellationToken.None);
            return new RestartAttempt
            {
                OutageBeganEarlier = restartedEarlier is null || outage is not null ? null : $"{restartedEarlier}; {whyNot}",
                EarlierOutage = outage,
                Action = action,
                Changed = false,
                Summary = why,
                Before = before,
                After = waited.Status,
                Readiness = waited.Timeline,
                Ready = waited.Ready,
                ServiceLog = waited.ServiceLog,
                CommandSucceeded = true,
            };
        }

        ReadinessOutcome watched;
        CommandResult result;
        try
        {
            Task<CommandResult> running = ssh.RunAsync(command, TimeSpan.FromSeconds(service.GracefulTimeoutSeconds), CancellationToken.None);
            watched = await _readiness.WaitAsync(ssh, target, service, running, known: null, CancellationToken.None);
            result = ServiceManagerException.ThrowIfSudoRefused(await running);
        }
        finally
        {
            if (claimKey is not null)
            {
                _claims.Ended(claimKey);
            }
        }

        // Running, and not as the old PID (under supervisor the restart's own "started" may carry no PID): a new process.
        if (claimKey is not null && watched.Status.IsRunning && watched.Status.MainPid != input.ExpectedPid)
        {
            await RestartClaim.ReleaseAsync(ssh, claimKey, CancellationToken.None);
        }

        string? stoppedEarlier = action == "start" && input.ExpectedPid is { } expected
            ? $"{service.UnitName} ran as pid {expected} at the pre-checks but was {before.RawState} when this attempt began (an interrupted earlier attempt or a crash stopped it); its outage began before it was watched"
            : null;
        (EarlierOutage? earlier, string? unmeasured) = stoppedEarlier is null
            ? (null, null)
            : await _earlier.ReadAsync(ssh, target, service, input.ExpectedPid!.Value, input.LogPositions ?? [], watched.Timeline, CancellationToken.None);
        if (stoppedEarlier is null && action == "restart" && result.Succeeded && watched.Timeline is { FirstFailureUtc: null } timeline
            && input.ExpectedPid is { } replaced && watched.Status.IsRunning && watched.Status.MainPid != replaced)
        {
            // A new process, yet no probe saw the service down: the outage fell between two probes (a fast PostgreSQL
            // restart). "No downtime" would be untrue; the target's own record of the stop and the new process's
            // "listening" line measure it — without them the watch's "no probe failed" stands.
            (EarlierOutage? between, _) = await _earlier.ReadAsync(ssh, target, service, replaced, input.LogPositions ?? [], watch: null, CancellationToken.None);
            earlier = between is null ? null : between with
            {
                Method = string.Create(CultureInfo.InvariantCulture, $"{between.Method}; {timeline.Probe}, polled every {timeline.IntervalMs} ms, never saw it down"),
            };
        }
        return new RestartAttempt
        {
            Action = action,
            Changed = true,
            Summary = (result.Succeeded ? $"{action} of {service.UnitName}: {result.Summary()}" : $"{action} of {service.UnitName} failed: {result.Summary()}")
                + (claimNote is null ? "" : $" ({claimNote})"),
            CommandSummary = result.Summary(),
            CommandSucceeded = result.Succeeded,
            CommandTimedOut = result.TimedOut,
            Before = before,
            After = watched.Status,
            Readiness = watched.Timeline,
            Ready = watched.Ready,
            ServiceLog = watched.ServiceLog,
            OutageBeganEarlier = stoppedEarlier is null || earlier is not null ? null : $"{stoppedEarlier}; {unmeasured}",
            EarlierOutage = earlier,
        };
    }

    /// <summary>
    /// The read before the restart. Where a status read is a Python start-up (supervisor), the pre-checks' status —
    /// taken moments ago — is confirmed with a <c>pgrep</c> of the service's processes (tens of milliseconds): the PID
    /// the pre-checks saw still running means no earlier delivery restarted it. Anything else is read in full.
    /// </summary>
    private async Task<ServiceStatus> ReadBeforeAsync(ISshSession ssh, TargetDefinition target, ServiceDefinition service, IServiceManager manager, int? expectedPid)
    {
        if (manager.CommandsReportOutcome && expectedPid is { } pid && service.ProcessPattern is { } pattern && service.ProcessUser is { } user)
        {
            if ((await ProcessCommands.FindAsync(ssh, user, pattern, CancellationToken.None)).Any(p => p.Pid == pid))
            {
                return new ServiceStatus(service.UnitName, ServiceState.Running, "RUNNING", pid, $"pid {pid} still runs ({ProcessCommands.FindLeftovers(user, pattern)}); RUNNING at the pre-checks");
            }
        }

        return await _status.ReadAsync(ssh, target, service, CancellationToken.None);
    }

    /// <summary>
    /// Another attempt of this step holds the restart claim: it is restarting the service now, or it died before it
    /// could. Waits until the service runs as a new process (then nothing is restarted again) or until the holder has
    /// had longer than a graceful stop and a readiness wait take (then the holder is taken as dead and this attempt restarts).
    /// </summary>
    private async Task<(ServiceStatus? Restarted, string Note)> WaitForClaimHolderAsync(
        ISshSession ssh, TargetDefinition target, ServiceDefinition service, IServiceManager manager, int? expectedPid, TimeSpan? heldFor)
    {
        TimeSpan held = heldFor ?? TimeSpan.Zero;
        TimeSpan bound = TimeSpan.FromSeconds(service.GracefulTimeoutSeconds + service.ReadinessTimeoutSeconds);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (held + waited.Elapsed < bound)
        {
            ServiceStatus now = await ReadBeforeAsync(ssh, target, service, manager, expectedPid);
            if (now.State == ServiceState.Running && now.MainPid is { } pid && pid != expectedPid)
            {
                return (now, string.Create(
                    CultureInfo.InvariantCulture,
                    $"another attempt of this step took the restart claim {held.TotalSeconds:0} s before this one and restarted {service.UnitName} (pid {expectedPid} -> {pid}); not restarting it again"));
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }

        return (null, string.Create(
            CultureInfo.InvariantCulture,
            $"an earlier attempt took the restart claim {(held + waited.Elapsed).TotalSeconds:0} s ago but {service.UnitName} still runs as pid {expectedPid}: that attempt died before restarting, so this one restarts it"));
    }

    private static (string Action, RemoteCommand? Command, string Why) Decide(ServiceStatus before, int? expectedPid, IServiceManager manager, ServiceDefinition service)
    {
        string unit = service.UnitName;
        return before.State switch
        {
            ServiceState.Running when expectedPid is not null && before.MainPid is { } pid && pid != expectedPid =>
                ("none", null, $"{unit} already runs as a new process (pid {expectedPid} -> {pid}): an earlier attempt restarted it; not restarting again"),
            ServiceState.Running when expectedPid is null =>
                ("none", null, $"{unit} was not running at the pre-checks and runs now (pid {before.MainPid}); not restarting it"),
            ServiceState.Running => ("restart", manager.Restart(unit), ""),
            ServiceState.Starting => ("none", null, $"{unit} is already starting; waiting for it instead of restarting"),
            ServiceState.Stopped or ServiceState.Failed => ("start", manager.Start(unit), ""),
            _ => ("restart", manager.Restart(unit), ""),
        };
    }
}
