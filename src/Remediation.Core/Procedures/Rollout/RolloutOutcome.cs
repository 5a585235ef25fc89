using System.Text.Json.Serialization;

namespace Remediation.Procedures.Rollout;

/// <summary>How a rollout ended.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RolloutOutcome>))]
public enum RolloutOutcome
{
    /// <summary>Every target succeeded.</summary>
    Completed,

    /// <summary>Every target was tried; some failed, within the threshold.</summary>
    CompletedWithFailures,

    /// <summary>Failures went past the threshold: nothing new was started after that.</summary>
    Stopped,

    /// <summary>No target was started (the notice could not be delivered).</summary>
    NotStarted,
}
