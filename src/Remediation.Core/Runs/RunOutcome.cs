using System.Text.Json.Serialization;

namespace Remediation.Runs;

/// <summary>How a run ended, in the terms of the restart log's "Resolution".</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RunOutcome>))]
public enum RunOutcome
{
    /// <summary>Every success criterion passed.</summary>
    Succeeded,

    /// <summary>The service is healthy but a non-critical criterion failed (error lines in logs, slow responses).</summary>
    SucceededWithIssues,

    /// <summary>A pre-check blocked the restart (active users, due crons) and force was not given. Nothing was changed.</summary>
    Deferred,

    /// <summary>Only read-only checks ran; the plan was shown. Nothing was changed.</summary>
    DryRun,

    /// <summary>The service is not healthy, or a step could not be carried out. An operator must act.</summary>
    Failed,

    /// <summary>Someone cancelled the run; it stopped between steps, and the record lists what had already changed.</summary>
    Cancelled,

    /// <summary>The product did not act and handed the problem to people (restart budget exhausted). Nothing was changed.</summary>
    Escalated,

    /// <summary>The approval its policy asked for was rejected or not given in time; nothing was changed.</summary>
    NotApproved,
}
