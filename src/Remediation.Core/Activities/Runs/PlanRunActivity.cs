using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.DurableTask;
using Remediation.Activities.Nginx;
using Remediation.Inventory;
using Remediation.Procedures;
using Remediation.Procedures.ReloadNginx;
using Remediation.Runs.Plans;
using Remediation.ServiceManagers;

namespace Remediation.Activities.Runs;

/// <summary>
/// Writes down what a run would do, from the inventory and its pre-checks: the steps with the exact command lines the
/// service manager's templates produce, and the downtime to expect. Reads nothing from the target, so a retry returns
/// the same plan (and the same hash).
/// </summary>
public sealed class PlanRunActivity : TaskActivity<PlanRequest, RunPlan>
{
    private readonly Inventory.Inventory _inventory;
    private readonly IServiceManagerProvider _managers;

    public PlanRunActivity(Inventory.Inventory inventory, IServiceManagerProvider managers)
    {
        _inventory = inventory;
        _managers = managers;
    }

    public override Task<RunPlan> RunAsync(TaskActivityContext context, PlanRequest input) => Task.FromResult(Build(_inventory, _managers, input));

    /// <summary>The plan for <paramref name="input"/>, hashed.</summary>
    public static RunPlan Build(Inventory.Inventory inventory, IServiceManagerProvider managers, PlanRequest input)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        ArgumentNullException.ThrowIfNull(managers);
        ArgumentNullException.ThrowIfNull(input);
        TargetDefinition target = inventory.GetTarget(input.Target);
        IServiceManager manager = managers.For(target.ServiceManager);
        var steps = new List<PlannedStep>();
        List<ServiceDefinition> touched = [];
        PlannedDowntime downtime;
        switch (input.Procedure)
        {
            case ProcedureNames.RestartService:
            {
                ServiceDefinition service = target.GetService(input.Service!);
                touched.Add(service);
                steps.Add(Step("Graceful restart", service, [manager.Restart(service.UnitName).ToString()]));
                steps.Add(ForcePath(manager, service));
                downtime = Bound([service], [service], "the graceful restart", ForcePathNote([service]));
                break;
            }

            case ProcedureNames.RestartPostgresql:
            {
                ServiceDefinition postgresql = target.GetService(input.Service!);
                IReadOnlyList<ServiceDefinition> dependents = DependencyGraph.DependentsOf(target, postgresql.Name);
                touched.AddRange(dependents.Reverse());
                touched.Add(postgresql);
                steps.AddRange(dependents.Reverse().Select(d => Step($"Stop {d.Name}", d, [manager.Stop(d.UnitName).ToString()])));
                steps.Add(Step("Restart PostgreSQL", postgresql, [manager.Restart(postgresql.UnitName).ToString()]));
                steps.Add(ForcePath(manager, postgresql));
                steps.Add(new PlannedStep { Name = "Verify PostgreSQL accepts connections", Service = postgresql.Name, Commands = ["SELECT version() (over the database connection, not SSH)"] });
                steps.AddRange(dependents.Select(d => Step($"Start {d.Name}", d, [manager.Start(d.UnitName).ToString()])));
                downtime = Bound([.. dependents, postgresql], [postgresql, .. dependents], "stopping the dependents, restarting PostgreSQL and starting the dependents again, one after the other", ForcePathNote([postgresql]));
                break;
            }

            case ProcedureNames.ReloadNginx:
            {
                ServiceDefinition nginx = target.GetService(input.Service!);
                touched.Add(nginx);
                bool restart = input.Mode == ReloadNginxRequest.RestartMode;
                if (nginx.ConfigTest)
                {
                    steps.Add(Step("Test configuration (nginx -t)", nginx, [TestNginxConfigActivity.ConfigTest().ToString()]));
                }

                steps.Add(restart
                    ? Step("Restart", nginx, [manager.Restart(nginx.UnitName).ToString()])
                    : Step("Reload", nginx, [manager.Reload(nginx.UnitName).ToString()]));
                downtime = restart
                    ? Bound([nginx], [nginx], "the restart", null)
                    : new PlannedDowntime(null, "none expected: a reload keeps nginx's master process serving while its workers are replaced (measured by the readiness watch during the run)");
                break;
            }

            case ProcedureNames.RestartStack:
            {
                IReadOnlyList<ServiceDefinition> stop = DependencyGraph.StopOrder(target);
                IReadOnlyList<ServiceDefinition> start = DependencyGraph.StartOrder(target);
                touched.AddRange(stop);
                steps.AddRange(stop.Select(s => Step($"Stop {s.Name}", s, [manager.Stop(s.UnitName).ToString()])));
                steps.AddRange(stop.Select(s => Step($"Confirm {s.Name} stopped", s, Leftovers(s))));
                steps.AddRange(start.Select(s => Step($"Start {s.Name}", s, [manager.Start(s.UnitName).ToString()])));
                downtime = Bound(stop, start, "stopping every service and starting them again in dependency order", null);
                break;
            }

            default:
                throw new ArgumentException($"Procedure '{input.Procedure}' changes nothing and has no plan.", nameof(input));
        }

        steps.Add(new PlannedStep
        {
            Name = "Post-restart verification",
            Commands = [manager.StatusAll([.. DependencyGraph.StartOrder(target).Select(s => s.UnitName)]).ToString()],
            When = null,
        });

        var plan = new RunPlan
        {
            Procedure = input.Procedure,
            Target = target.Name,
            Services = [.. touched.Select(s => s.Name)],
            Steps = steps,
            ExpectedDowntime = downtime,
            Checks = input.Checks,
            Blockers = input.Blockers,
            Force = input.Force,
        };
        return plan with { Hash = HashOf(plan) };
    }

    /// <summary>SHA-256 over the plan's JSON with an empty hash: System.Text.Json writes properties in declaration order, so equal plans hash equally.</summary>
    public static string HashOf(RunPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(plan with { Hash = "" })));
    }

    private static PlannedStep Step(string name, ServiceDefinition service, IReadOnlyList<string> commands, string? when = null) =>
        new() { Name = name, Service = service.Name, Commands = commands, When = when };

    private static PlannedStep ForcePath(IServiceManager manager, ServiceDefinition service) => Step(
        $"Force restart of {service.Name}",
        service,
        [manager.Stop(service.UnitName).ToString(), .. Leftovers(service), manager.Start(service.UnitName).ToString()],
        "only if the graceful restart fails or the service is not ready in time");

    private static IReadOnlyList<string> Leftovers(ServiceDefinition service) =>
        service.ProcessUser is { Length: > 0 } user && service.ProcessPattern is { Length: > 0 } pattern
            ? [ProcessCommands.FindLeftovers(user, pattern).ToString(), ProcessCommands.KillLeftovers(user, pattern).ToString() + " (only if processes are left)"]
            : [];

    /// <summary>
    /// Upper bound from the inventory, not a measurement: each service stopped may take its graceful timeout and each
    /// started its readiness timeout, one after the other. What a run actually causes is measured by its readiness watch.
    /// </summary>
    private static PlannedDowntime Bound(IReadOnlyList<ServiceDefinition> stopped, IReadOnlyList<ServiceDefinition> started, string what, string? note)
    {
        int seconds = stopped.Sum(s => s.GracefulTimeoutSeconds) + started.Sum(s => s.ReadinessTimeoutSeconds);
        string terms = string.Join(" + ", stopped.Select(s => $"{s.Name} gracefulTimeoutSeconds {s.GracefulTimeoutSeconds}")
            .Concat(started.Select(s => $"{s.Name} readinessTimeoutSeconds {s.ReadinessTimeoutSeconds}")));
        return new PlannedDowntime(seconds, string.Create(CultureInfo.InvariantCulture,
            $"upper bound from the inventory's timeouts for {what} ({terms}); not a measured figure — the run measures the real downtime with its readiness probes{note}"));
    }

    private static string ForcePathNote(IReadOnlyList<ServiceDefinition> services) =>
        string.Create(CultureInfo.InvariantCulture, $"; the force path, if taken, adds up to {services.Sum(s => s.GracefulTimeoutSeconds + s.ReadinessTimeoutSeconds)} s");
}
