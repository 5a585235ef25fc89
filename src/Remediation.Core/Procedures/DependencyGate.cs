using Remediation.Activities.Services;
using Remediation.Inventory;

namespace Remediation.Procedures;

/// <summary>
/// A service is restarted only onto running dependencies: Odoo restarted while PostgreSQL is down is downtime for
/// nothing, and fails verification. <c>force</c> passes the users/crons gate, never this one.
/// </summary>
public static class DependencyGate
{
    /// <summary>Why <paramref name="service"/> must not be touched (a dependency is not running, and which procedure brings it back), or null.</summary>
    public static string? Blocker(StackInspection stack, string service)
    {
        ArgumentNullException.ThrowIfNull(stack);
        List<string> down = [];
        bool postgresqlDown = false;
        foreach (StackService dependency in stack.DependenciesOf(service))
        {
            ServiceStatusReport? status = stack.Find(dependency.Name);
            if (status?.Status.IsRunning != true)
            {
                down.Add($"{dependency.Name} ({status?.Status.RawState ?? "not read"})");
                postgresqlDown |= dependency.Kind == ServiceKind.Postgresql;
            }
        }

        if (down.Count == 0)
        {
            return null;
        }

        string remedy = postgresqlDown
            ? $"run {ProcedureNames.RestartPostgresql} (it restarts PostgreSQL and then its dependents) or {ProcedureNames.RestartStack}"
            : $"run {ProcedureNames.RestartStack} to start the stack in dependency order";
        return $"{service} depends on {string.Join(", ", down)}, which is not running: nothing was touched, because restarting {service} now would only add downtime; {remedy}";
    }
}
