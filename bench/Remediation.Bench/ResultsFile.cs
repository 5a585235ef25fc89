using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Remediation.Bench;

/// <summary>Writes a benchmark's results to <c>bench/results/NAME-UTC.json</c> and <c>NAME-latest.json</c>; describes the machine.</summary>
public static class ResultsFile
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static async Task<string> WriteAsync(string name, BenchOutcome outcome, string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        string stamp = outcome.StartedUtc.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        string file = Path.Combine(directory, $"{name}-{stamp}.json");
        string latest = Path.Combine(directory, $"{name}-latest.json");
        string json = JsonSerializer.Serialize(outcome.Report, outcome.Report.GetType(), Json) + "\n";
        foreach (string path in new[] { file, latest })
        {
            string temporary = path + ".tmp";
            await File.WriteAllTextAsync(temporary, json, cancellationToken);
            File.Move(temporary, path, overwrite: true);
        }

        return file;
    }

    public static MachineInfo Machine(BenchOptions options) => new(
        Environment.ProcessorCount,
        ProcField("/proc/cpuinfo", "model name"),
        ProcField("/proc/meminfo", "MemTotal") is { } kb && double.TryParse(kb.Split(' ')[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out double value)
            ? Math.Round(value / 1024 / 1024, 1)
            : null,
        RuntimeInformation.OSDescription,
        RuntimeInformation.FrameworkDescription,
        options.SdkVersion,
        Environment.MachineName);

    private static string? ProcField(string file, string name)
    {
        if (!File.Exists(file))
        {
            return null;
        }

        string? line = File.ReadLines(file).FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal));
        return line?.Split(':', 2) is [_, string text] ? text.Trim() : null;
    }
}
