using Microsoft.DurableTask;

namespace Remediation.Server.DurableRuntime;

/// <summary>The orchestrator and activity types the durable runtime registers, each under its class name; by default the product's list in <see cref="DurableTasks"/>.</summary>
public sealed class DurableTaskTypes
{
    public DurableTaskTypes(IEnumerable<Type> orchestrators, IEnumerable<Type> activities)
    {
        ArgumentNullException.ThrowIfNull(orchestrators);
        ArgumentNullException.ThrowIfNull(activities);
        Orchestrators = [.. orchestrators];
        Activities = [.. activities];

        foreach (Type type in Orchestrators)
        {
            RequireConcrete(type, typeof(ITaskOrchestrator));
        }

        foreach (Type type in Activities)
        {
            RequireConcrete(type, typeof(ITaskActivity));
        }

        // Both hosts register by class name; two types with one name would silently shadow each other.
        string[] duplicates = [.. Orchestrators.Concat(Activities).GroupBy(t => t.Name).Where(g => g.Count() > 1).Select(g => g.Key)];
        if (duplicates.Length > 0)
        {
            throw new ArgumentException($"Durable task names must be unique, but these class names occur more than once: {string.Join(", ", duplicates)}.");
        }
    }

    /// <summary>The product's orchestrators and activities, as listed in <see cref="DurableTasks"/>.</summary>
    public static DurableTaskTypes Remediation => new(DurableTasks.Orchestrators, DurableTasks.Activities);

    public IReadOnlyList<Type> Orchestrators { get; }

    public IReadOnlyList<Type> Activities { get; }

    /// <summary>These types plus extra ones (tests register their own probes this way).</summary>
    public DurableTaskTypes With(IEnumerable<Type>? orchestrators = null, IEnumerable<Type>? activities = null) =>
        new(Orchestrators.Concat(orchestrators ?? []), Activities.Concat(activities ?? []));

    private static void RequireConcrete(Type type, Type contract)
    {
        if (type.IsAbstract || type.IsGenericTypeDefinition || !contract.IsAssignableFrom(type))
        {
            throw new ArgumentException($"{type.FullName} cannot be registered: it must be a concrete class implementing {contract.Name}.");
        }
    }
}
