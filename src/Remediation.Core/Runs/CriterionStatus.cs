using System.Text.Json.Serialization;

namespace Remediation.Runs;

/// <summary>The result of one line of the runbook's success-criteria checklist.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CriterionStatus>))]
public enum CriterionStatus
{
    Passed,
    Failed,

    /// <summary>Not measurable by this procedure (said why in the detail) — never reported as passed.</summary>
    NotEvaluated,
}
