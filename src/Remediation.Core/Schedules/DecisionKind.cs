using System.Text.Json.Serialization;

namespace Remediation.Schedules;

/// <summary>What an automatic (alert-triggered) run may do now.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DecisionKind>))]
public enum DecisionKind
{
    /// <summary>No freeze covers the target: run it now.</summary>
    Allow,

    /// <summary>A freeze covers the target: record it and run it when the next maintenance window opens.</summary>
    Defer,

    /// <summary>A freeze covers the target and the alert is critical (or no window comes): a person must decide.</summary>
    Escalate,
}
