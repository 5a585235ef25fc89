using System.Text.Json.Serialization;

namespace Remediation.Procedures.Rollout;

/// <summary>How one target of a rollout ended.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PlannedRunOutcome>))]
public enum PlannedRunOutcome
{
    /// <summary>Every procedure the target was due ran and succeeded (with or without issues).</summary>
    Succeeded,

    /// <summary>A check, a procedure or the target failed, or the target was busy; counts against the rollout's threshold.</summary>
    Failed,

    /// <summary>Nothing was started: the window would have been overrun, the notice failed, or the threshold stopped the rollout first.</summary>
    NotStarted,
}
