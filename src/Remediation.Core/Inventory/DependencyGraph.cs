namespace Remediation.Inventory;

/// <summary>
/// The order the runbook derives by hand: start in dependency order (PostgreSQL, Odoo, Nginx), stop in reverse,
/// and the dependents to stop before a service they need is restarted.
/// </summary>
public static class DependencyGraph
{
    /// <summary>Services ordered so that each comes after everything it depends on (ties keep inventory order).</summary>
    public static IReadOnlyList<ServiceDefinition> StartOrder(TargetDefinition target)
    {
        var ordered = new List<ServiceDefinition>();
        var placed = new HashSet<string>(StringComparer.Ordinal);
        var visiting = new HashSet<string>(StringComparer.Ordinal);
        foreach (ServiceDefinition service in target.Services)
        {
            Visit(target, service, placed, visiting, ordered);
        }

        return ordered;
    }

    /// <summary>Reverse dependency order: dependents stop before what they depend on.</summary>
    public static IReadOnlyList<ServiceDefinition> StopOrder(TargetDefinition target) => [.. StartOrder(target).Reverse()];

    /// <summary>Every service that needs <paramref name="serviceName"/>, directly or through others, in start order.</summary>
    public static IReadOnlyList<ServiceDefinition> DependentsOf(TargetDefinition target, string serviceName)
    {
        var dependents = new HashSet<string>(StringComparer.Ordinal);
        bool grew = true;
        while (grew)
        {
            grew = false;
            foreach (ServiceDefinition service in target.Services)
            {
                if (!dependents.Contains(service.Name)
                    && service.DependsOn.Any(d => d == serviceName || dependents.Contains(d)))
                {
                    grew |= dependents.Add(service.Name);
                }
            }
        }

        return [.. StartOrder(target).Where(s => dependents.Contains(s.Name))];
    }

    /// <summary>Each dependency cycle as "a -> b -> a"; empty for a valid graph.</summary>
    public static IReadOnlyList<string> FindCycles(TargetDefinition target)
    {
        var cycles = new List<string>();
        var done = new HashSet<string>(StringComparer.Ordinal);
        foreach (ServiceDefinition service in target.Services)
        {
            var path = new List<string>();
            FindCycleFrom(target, service.Name, path, done, cycles);
        }

        return cycles;
    }

    private static void FindCycleFrom(TargetDefinition target, string name, List<string> path, HashSet<string> done, List<string> cycles)
    {
        int seenAt = path.IndexOf(name);
        if (seenAt >= 0)
        {
            cycles.Add(string.Join(" -> ", path.Skip(seenAt).Append(name)));
            return;
        }

        if (done.Contains(name) || target.FindService(name) is not { } service)
        {
            return;
        }

        path.Add(name);
        foreach (string dependency in service.DependsOn)
        {
            FindCycleFrom(target, dependency, path, done, cycles);
        }

        path.RemoveAt(path.Count - 1);
        done.Add(name);
    }

    private static void Visit(TargetDefinition target, ServiceDefinition service, HashSet<string> placed, HashSet<string> visiting, List<ServiceDefinition> ordered)
    {
        if (placed.Contains(service.Name) || !visiting.Add(service.Name))
        {
            return;
        }

        foreach (string dependency in service.DependsOn)
        {
            if (target.FindService(dependency) is { } needed)
            {
                Visit(target, needed, placed, visiting, ordered);
            }
        }

        visiting.Remove(service.Name);
        placed.Add(service.Name);
        ordered.Add(service);
    }
}
