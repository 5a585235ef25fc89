using Microsoft.DurableTask;
using Remediation.Artifacts;

using Remediation.Runs;

namespace Remediation.Activities.Artifacts;

/// <summary>Runbook "Documentation": files the restart log (markdown, the runbook's template) and the JSON record in Blob storage.</summary>
public sealed class WriteRestartLogActivity : TaskActivity<RunRecord, ArtifactLinks>
{
    private readonly IArtifactStore _store;

    public WriteRestartLogActivity(IArtifactStore store)
    {
        _store = store;
    }

    public override Task<ArtifactLinks> RunAsync(TaskActivityContext context, RunRecord input) =>
        _store.WriteRestartLogAsync(input, CancellationToken.None);
}
