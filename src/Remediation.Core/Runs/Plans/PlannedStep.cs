namespace Remediation.Runs.Plans;

/// <summary>One step of a plan: its name, the service it acts on, the exact commands it would run, and when it runs at all.</summary>
public sealed record PlannedStep
{
    public required string Name { get; init; }
    public string? Service { get; init; }

    /// <summary>Command lines as the target receives them (fixed templates filled from the inventory).</summary>
    public IReadOnlyList<string> Commands { get; init; } = [];

    /// <summary>Null when the step always runs; otherwise the condition (e.g. "only if the graceful restart fails").</summary>
    public string? When { get; init; }
}
