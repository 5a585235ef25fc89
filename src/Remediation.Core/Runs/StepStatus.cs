using System.Text.Json.Serialization;

namespace Remediation.Runs;

/// <summary>Where one step of a run stands.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<StepStatus>))]
public enum StepStatus
{
    Running,
    Succeeded,
    Failed,
    Skipped,
}
