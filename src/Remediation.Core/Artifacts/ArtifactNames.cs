using Remediation.Runs;

namespace Remediation.Artifacts;

/// <summary>
/// Blob names derived only from the run's ID and start date, so a retried activity overwrites its own artifact
/// instead of filing a second one.
/// </summary>
public static class ArtifactNames
{
    public const string RestartLogsContainer = "restart-logs";

    public static string RestartLog(RunRecord record) => $"{DatePrefix(record)}/{record.InstanceId}.md";

    public static string Record(RunRecord record) => $"{DatePrefix(record)}/{record.InstanceId}.json";

    private static string DatePrefix(RunRecord record) => record.StartedUtc.ToString("yyyy/MM/dd", System.Globalization.CultureInfo.InvariantCulture);
}
