using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Remediation.Activities;
using Remediation.Activities.Database;
using Remediation.Activities.Postgresql;
using Remediation.Activities.Services;
using Remediation.Artifacts;
using Remediation.Intake;
using Remediation.Intake.Locks;
using Remediation.Schedules.Deferrals;
using Remediation.Probes;
using Remediation.Runs;
using Remediation.Ssh;
using Remediation.Tests.Intake;
using Remediation.Tests.Schedules;

namespace Remediation.Tests.Procedures;

/// <summary>
/// The in-memory Durable Task host with the product's orchestrators and its real activities, wired to a
/// <see cref="SimulatedTarget"/>. Only the activities that need a real PostgreSQL are scripted: CheckPostgresqlActivity
/// and SelectPostgresqlVersionActivity always (the target has no database, so the real ones would refuse), and
/// CheckWorkloadActivity when a test scripts the workload (otherwise the real one answers "not applicable": no database).
/// </summary>
/// <remarks>
/// The clock is <see cref="TimeProvider.System"/>, not a FakeTimeProvider: the readiness watch times its 50 ms polls
/// and deadlines with the TimeProvider but probes real loopback sockets, and the in-memory host runs its retry timers on
/// real time, so a fake clock would have to be advanced in step with real time by a pump — the system clock with
/// short durations (1 s timeouts, 100–150 ms stops and starts) keeps each test around a second or two.
/// </remarks>
internal sealed class ProcedureHost : IAsyncDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly DurableTaskTestHost _host;

    private ProcedureHost(DurableTaskTestHost host, InMemoryArtifactStore artifacts, InMemoryTargetLocks locks)
    {
        _host = host;
        Artifacts = artifacts;
        Locks = locks;
    }

    public InMemoryArtifactStore Artifacts { get; }

    public InMemoryTargetLocks Locks { get; }

    /// <summary>Runs a freeze deferred, as the window scheduler's rollouts find them.</summary>
    public InMemoryDeferredRuns Deferred { get; private init; } = new();

    /// <summary>Rollout records filed.</summary>
    public InMemoryRolloutRecords Rollouts { get; private init; } = new();

    public DurableTaskClient Client => _host.Client;

    /// <summary>Scripted answers for the workload check; null runs the real CheckWorkloadActivity.</summary>
    internal sealed record ScriptedWorkload(WorkloadReport? Report = null, Exception? Failure = null);

    public static Task<ProcedureHost> StartAsync(SimulatedTarget target, ScriptedWorkload? workload = null, TimeProvider? activityClock = null, Action<IServiceCollection>? moreServices = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        return StartAsync(target, target.Inventory, name => target.Postgresql.Listening, workload, activityClock, more: moreServices);
    }

    /// <summary>
    /// A host over several simulated targets, with the intake (real, over this host's client), in-memory deferrals and
    /// rollout records, and whatever else <paramref name="more"/> registers (a notice, a calendar).
    /// </summary>
    public static Task<ProcedureHost> StartAsync(SimulatedFleet fleet, Action<IServiceCollection>? more = null, ScriptedWorkload? workload = null)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        return StartAsync(fleet, fleet.Inventory, name => fleet[name].Postgresql.Listening, workload, activityClock: null, more);
    }

    private static async Task<ProcedureHost> StartAsync(
        ISshConnector ssh, Remediation.Inventory.Inventory inventory, Func<string, bool> postgresqlListening, ScriptedWorkload? workload, TimeProvider? activityClock, Action<IServiceCollection>? more)
    {
        var artifacts = new InMemoryArtifactStore();
        var locks = new InMemoryTargetLocks();
        var deferred = new InMemoryDeferredRuns();
        var rollouts = new InMemoryRolloutRecords();
        HashSet<string> scripted = [nameof(CheckPostgresqlActivity), nameof(SelectPostgresqlVersionActivity)];
        if (workload is not null)
        {
            scripted.Add(nameof(CheckWorkloadActivity));
        }

        DurableTaskTestHost host = await DurableTaskTestHost.StartAsync(
            registry =>
            {
                foreach (Type orchestrator in DurableTasks.Orchestrators)
                {
                    registry.AddOrchestrator(orchestrator);
                }

                foreach (Type activity in DurableTasks.Activities.Where(a => !scripted.Contains(a.Name)))
                {
                    registry.AddActivity(activity);
                }

                // pg_stat_activity as an idle database shows it: no long-running query.
                registry.AddActivityFunc<PostgresqlCheckRequest, PostgresqlActivityReport>(nameof(CheckPostgresqlActivity), (_, input) =>
                    new PostgresqlActivityReport([new ConnectionStateCount("idle", 3)], [], input.LongQueryThresholdSeconds));

                // SELECT version() answers only while PostgreSQL accepts connections, as the real activity's would.
                registry.AddActivityFunc<TargetRef, string>(nameof(SelectPostgresqlVersionActivity), (_, input) =>
                    postgresqlListening(input.Target)
                        ? "PostgreSQL 16.4 (Debian 16.4-1) on x86_64-pc-linux-gnu (simulated)"
                        : throw new InvalidOperationException("connection refused: PostgreSQL is not accepting connections"));

                if (workload is not null)
                {
                    registry.AddActivityFunc<ServiceRef, WorkloadReport>(nameof(CheckWorkloadActivity), (_, _) =>
                        workload.Failure is { } failure ? throw failure : workload.Report!);
                }
            },
            new DurableTaskTestHostOptions
            {
                // A port the OS says is free: the host's own choice can collide with the simulated programs' listeners.
                Port = FreePort(),
                ConfigureServices = services =>
                {
                    services.AddLogging();
                    services.AddSingleton(activityClock ?? TimeProvider.System);
                    services.AddSingleton(inventory);
                    services.AddSshAndProbes();
                    services.Replace(ServiceDescriptor.Singleton<ISshConnector>(ssh));
                    services.AddSingleton<ServiceStatusReader>();
                    services.AddSingleton<ServiceReadiness>();
                    services.AddSingleton<EarlierOutageReader>();
                    services.AddSingleton<HeldRestartClaims>();
                    services.AddSingleton<ReadinessWatch>();
                    services.AddSingleton<IArtifactStore>(artifacts);
                    services.AddSingleton<ITargetLocks>(locks);

                    // Notifications go nowhere unless a test configures channels (a local receiver).
                    services.AddOptions<Remediation.Notifications.NotificationOptions>();
                    services.AddHttpClient<Remediation.Notifications.INotificationSender, Remediation.Notifications.WebhookNotificationSender>();
                    // What planned runs and rollouts reach: the real intake over this host's own client (which the test host registers).
                    services.AddSingleton<RemediationIntake>();
                    services.AddSingleton<IRemediationIntake>(sp => sp.GetRequiredService<RemediationIntake>());
                    services.AddSingleton(deferred);
                    services.AddSingleton<IDeferredRuns>(deferred);
                    services.AddSingleton(rollouts);
                    services.AddSingleton<IRolloutRecords>(rollouts);
                    more?.Invoke(services);
                },
            });
        return new ProcedureHost(host, artifacts, locks) { Deferred = deferred, Rollouts = rollouts };
    }

    /// <summary>Takes the target's lock as the intake would, runs the procedure to its end, and returns the run and its record (null when it failed).</summary>
    public async Task<(OrchestrationMetadata Run, RunRecord? Record)> RunAsync<TOrchestrator>(IRunRequest request, Func<string, Task>? whileRunning = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        string id = $"{typeof(TOrchestrator).Name}-{Guid.NewGuid():N}";
        await Locks.TryAcquireAsync(request.Target, new TargetLockHolder(id, typeof(TOrchestrator).Name, "test", DateTime.UtcNow), CancellationToken.None);
        await Client.ScheduleNewOrchestrationInstanceAsync(typeof(TOrchestrator).Name, request, new StartOrchestrationOptions { InstanceId = id });
        if (whileRunning is not null)
        {
            await whileRunning(id);
        }

        using var timeout = new CancellationTokenSource(Deadline);
        OrchestrationMetadata run = await Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);
        return (run, run.RuntimeStatus == OrchestrationRuntimeStatus.Completed ? run.ReadOutputAs<RunRecord>() : null);
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
