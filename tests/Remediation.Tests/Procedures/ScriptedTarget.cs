using Microsoft.DurableTask;
using Remediation.Activities;
using Remediation.Activities.Artifacts;
using Remediation.Activities.Database;
using Remediation.Activities.Logs;
using Remediation.Activities.Services;
using Remediation.Activities.Runs;
using Remediation.Artifacts;
using Remediation.Inventory;
using Remediation.Runs;
using Remediation.Probes;
using Remediation.ServiceManagers;
using Remediation.Ssh;

namespace Remediation.Tests.Procedures;

/// <summary>
/// Stands in for the activities in orchestration tests: each registered under the real activity's name,
/// answering from a scripted target state and counting calls, so the orchestrator's logic runs unchanged.
/// </summary>
internal sealed class ScriptedTarget
{
    private static readonly DateTime T0 = new(2026, 11, 25, 3, 0, 0, DateTimeKind.Utc);
    private readonly Dictionary<string, int> _calls = [];
    private readonly object _gate = new();

    public int Pid { get; set; } = 100;
    public int ActiveUsers { get; set; }
    public List<DueCron> DueCrons { get; } = [];
    public bool GracefulReady { get; set; } = true;
    public bool ForceReady { get; set; } = true;
    public bool DatabaseHealthy { get; set; } = true;
    public int LogErrors { get; set; }
    public Exception? InspectFailure { get; set; }
    public Exception? WorkloadFailure { get; set; }
    public int InspectFailuresBeforeSuccess { get; set; }
    public List<RunRecord> FiledRecords { get; } = [];

    public int Calls(string activity)
    {
        lock (_gate)
        {
            return _calls.GetValueOrDefault(activity);
        }
    }

    public void Register(DurableTaskRegistry registry)
    {
        registry.AddActivityFunc<TargetRef, StackInspection>(nameof(InspectStackActivity), (_, _) =>
        {
            int call = Count(nameof(InspectStackActivity));
            if (InspectFailure is not null && call <= Math.Max(1, InspectFailuresBeforeSuccess))
            {
                throw InspectFailure;
            }

            return new StackInspection([Status("odoo", ServiceState.Running, Pid)], [new LogPosition("/var/log/odoo/odoo-server.log", 1000)])
            {
                Services = [new StackService("postgresql", ServiceKind.Postgresql, []), new StackService("odoo", ServiceKind.Odoo, ["postgresql"]), new StackService("nginx", ServiceKind.Nginx, ["odoo"])],
            };
        });
        registry.AddActivityFunc<ServiceRef, WorkloadReport>(nameof(CheckWorkloadActivity), (_, _) =>
        {
            Count(nameof(CheckWorkloadActivity));
            if (WorkloadFailure is not null)
            {
                throw WorkloadFailure;
            }

            return new WorkloadReport(true, $"{ActiveUsers} active user(s), {DueCrons.Count} due cron job(s)")
            {
                Users = new ActiveUsers(0, ActiveUsers, ActiveUsers),
                DueCrons = [.. DueCrons],
                Evidence = [.. DueCrons.Select(c => c.Describe())],
            };
        });
        registry.AddActivityFunc<RestartServiceCommand, RestartAttempt>(nameof(RestartServiceActivity), (_, input) =>
        {
            Count(nameof(RestartServiceActivity));
            var before = new ServiceStatus("odoo", ServiceState.Running, "RUNNING", input.ExpectedPid, "");
            if (!GracefulReady)
            {
                return new RestartAttempt
                {
                    Action = "restart",
                    Changed = true,
                    Summary = "restart of odoo failed: `sudo -n /usr/bin/supervisorctl restart odoo` timed out",
                    CommandSucceeded = false,
                    CommandTimedOut = true,
                    Before = before,
                    After = new ServiceStatus("odoo", ServiceState.Stopping, "STOPPING", Pid, ""),
                    Readiness = new ReadinessTimeline { Ready = true, Probe = "http://127.0.0.1:8069/web/health", WatchStartedUtc = T0, ReadyUtc = T0.AddSeconds(10), Probes = 200 },
                    Ready = false,
                };
            }

            Pid++;
            return new RestartAttempt
            {
                Action = "restart",
                Changed = true,
                Summary = "restart of odoo: `sudo -n /usr/bin/supervisorctl restart odoo` exited 0",
                CommandSucceeded = true,
                Before = before,
                After = new ServiceStatus("odoo", ServiceState.Running, "RUNNING", Pid, ""),
                Readiness = new ReadinessTimeline
                {
                    Ready = true,
                    Probe = "http://127.0.0.1:8069/web/health",
                    WatchStartedUtc = T0,
                    FirstFailureUtc = T0.AddMilliseconds(200),
                    ReadyUtc = T0.AddMilliseconds(1450),
                    Probes = 30,
                    IntervalMs = 50,
                },
                Ready = true,
            };
        });
        registry.AddActivityFunc<ServiceRef, ServiceActionResult>(nameof(StopServiceActivity), (_, input) =>
        {
            Count(nameof(StopServiceActivity));
            return new ServiceActionResult(true, "stop of odoo did not finish: timed out", false, new ServiceStatus(input.Service, ServiceState.Stopping, "STOPPING", Pid, ""));
        });
        registry.AddActivityFunc<ServiceRef, LeftoverProcessesReport>(nameof(KillLeftoverProcessesActivity), (_, _) =>
        {
            Count(nameof(KillLeftoverProcessesActivity));
            return new LeftoverProcessesReport([$"{Pid} /usr/bin/python3 /opt/odoo-standin/odoo-bin"], true, [], $"killed 1 leftover odoo-bin process(es) of user odoo: {Pid}");
        });
        registry.AddActivityFunc<ServiceRef, ServiceActionResult>(nameof(StartServiceActivity), (_, input) =>
        {
            Count(nameof(StartServiceActivity));
            Pid += 10;
            return new ServiceActionResult(true, "started odoo", true, new ServiceStatus(input.Service, ServiceState.Running, "RUNNING", Pid, ""));
        });
        registry.AddActivityFunc<ServiceRef, ReadinessOutcome>(nameof(WaitForReadinessActivity), (_, input) =>
        {
            Count(nameof(WaitForReadinessActivity));
            var state = ForceReady ? ServiceState.Running : ServiceState.Failed;
            return new ReadinessOutcome(
                new ServiceStatus(input.Service, state, state.ToString().ToUpperInvariant(), ForceReady ? Pid : null, ""),
                new ReadinessTimeline { Ready = ForceReady, Probe = "http://127.0.0.1:8069/web/health", WatchStartedUtc = T0.AddSeconds(20), FirstFailureUtc = T0.AddSeconds(20), ReadyUtc = ForceReady ? T0.AddSeconds(21) : null, Probes = 20 });
        });
        registry.AddActivityFunc<VerifyStackRequest, VerificationReport>(nameof(VerifyStackActivity), (_, _) =>
        {
            Count(nameof(VerifyStackActivity));
            var evidence = new VerificationReport
            {
                Statuses = [Status("odoo", ServiceState.Running, Pid), Status("postgresql", ServiceState.Running, 50), Status("nginx", ServiceState.Running, 60)],
                Logs = [new LogScan("/var/log/odoo/odoo-server.log", 1000, 500, LogErrors, LogErrors > 0 ? ["2026-11-25 03:00:01,000 1 ERROR odoo_production odoo.modules.registry: Failed"] : [], false, false)],
                Probes = [new ServiceProbe("odoo", "http://127.0.0.1:8069/web/health", true, new ProbeResult(true, 12, "200 OK in 12 ms", 200))],
                Database = new ProbeResult(DatabaseHealthy, 3, DatabaseHealthy ? "accepting connections" : "connection refused"),
                Dashboard = new ProbeResult(true, 9, "200 OK in 9 ms", 200),
            };
            return evidence with { Criteria = SuccessCriteriaEvaluator.Evaluate(evidence) };
        });
        registry.AddActivityFunc<RunRecord, ArtifactLinks>(nameof(WriteRestartLogActivity), (_, record) =>
        {
            Count(nameof(WriteRestartLogActivity));
            lock (_gate)
            {
                FiledRecords.Add(record);
            }

            return new ArtifactLinks($"http://blob/restart-logs/{record.InstanceId}.md", $"http://blob/restart-logs/{record.InstanceId}.json");
        });
        registry.AddActivityFunc<TargetLockRelease, bool>(nameof(ReleaseTargetLockActivity), (_, _) =>
        {
            Count(nameof(ReleaseTargetLockActivity));
            return true;
        });
    }

    private static ServiceStatusReport Status(string service, ServiceState state, int? pid) =>
        new(service, new ServiceStatus(service, state, state.ToString().ToUpperInvariant(), pid, ""));

    private int Count(string activity)
    {
        lock (_gate)
        {
            _calls[activity] = _calls.GetValueOrDefault(activity) + 1;
            return _calls[activity];
        }
    }
}
