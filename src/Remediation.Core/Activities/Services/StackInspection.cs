using Remediation.Activities.Logs;
using Remediation.Inventory;
using Remediation.ServiceManagers;

namespace Remediation.Activities.Services;

/// <summary>
/// The pre-restart view of a target: its services in dependency (start) order, every service's status, and where
/// every service's logs end.
/// </summary>
public sealed record StackInspection(IReadOnlyList<ServiceStatusReport> Statuses, IReadOnlyList<LogPosition> LogPositions)
{
    /// <summary>The target's services in start order (dependencies first).</summary>
    public IReadOnlyList<StackService> Services { get; init; } = [];

    /// <summary>When the statuses were read on the worker: a result that reaches the orchestrator much later (a storage outage, a crash) is stale.</summary>
    public DateTime ReadAtUtc { get; init; }

    /// <summary>systemd targets: the stop settings of every Odoo unit, judged against Odoo's limit_time_real.</summary>
    public IReadOnlyList<OdooUnitPreflight> OdooUnits { get; init; } = [];

    public ServiceStatusReport? Find(string service) => Statuses.FirstOrDefault(s => s.Service == service);

    public ServiceKind KindOf(string service) => Services.FirstOrDefault(s => s.Name == service)?.Kind ?? ServiceKind.Generic;

    /// <summary>Stop order: dependents before what they depend on.</summary>
    public IReadOnlyList<StackService> StopOrder => [.. Services.Reverse()];

    /// <summary>Every service <paramref name="service"/> needs, directly or through others, in start order.</summary>
    public IReadOnlyList<StackService> DependenciesOf(string service)
    {
        var needed = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(Services.FirstOrDefault(s => s.Name == service)?.DependsOn ?? []);
        while (pending.TryPop(out string? next))
        {
            if (needed.Add(next))
            {
                foreach (string further in Services.FirstOrDefault(s => s.Name == next)?.DependsOn ?? [])
                {
                    pending.Push(further);
                }
            }
        }

        return [.. Services.Where(s => needed.Contains(s.Name))];
    }

    /// <summary>Every service that needs <paramref name="service"/>, directly or through others, in start order.</summary>
    public IReadOnlyList<StackService> DependentsOf(string service)
    {
        var target = new TargetDefinition { Services = [.. Services.Select(s => new ServiceDefinition { Name = s.Name, Kind = s.Kind, DependsOn = s.DependsOn })] };
        HashSet<string> dependents = [.. DependencyGraph.DependentsOf(target, service).Select(s => s.Name)];
        return [.. Services.Where(s => dependents.Contains(s.Name))];
    }
}
