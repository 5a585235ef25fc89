using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Remediation.Bench.Benchmarks;

/// <summary>
/// restart-stack: the runbook's own <c>full-restart.sh</c> (§4, its sleeps kept, commands adapted to supervisor:
/// <c>bench/full-restart.sh</c>) run as ops over one SSH connection (raw) vs procedure restart-stack (ours).
/// </summary>
public static partial class RestartStackBenchmark
{
    public const string ScriptFile = "bench/full-restart.sh";

    private const string EndMarker = ": end of full-restart.sh";
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan HealthDeadline = TimeSpan.FromSeconds(60);

    public static RatioBenchmark Definition { get; } = new()
    {
        Name = "restart-stack",
        RawDescription =
            $"one SSH connection: `bash -s` with {ScriptFile} on stdin (a heredoc), traced with `set -x` and PS4='+$EPOCHREALTIME ' for per-command times; " +
            $"it must print 'Full restart complete!'; then GET /web/health through nginx (:8080) every {PollInterval.TotalMilliseconds:0} ms until 200",
        ProductRequest = """{"target":"demo","procedure":"restart-stack","reason":"benchmark","requestedBy":"bench","force":true}""",
        ExpectedSpawns = new Dictionary<string, int>(StringComparer.Ordinal) { ["postgresql"] = 1, ["odoo"] = 1, ["nginx"] = 1 },
        RunRawAsync = RunRawAsync,
    };

    private static async Task<RawSample> RunRawAsync(BenchContext context, CancellationToken cancellationToken)
    {
        string script = await File.ReadAllTextAsync(ScriptFile, cancellationToken);

        // The trace goes to stderr with a timestamp per command; it costs microseconds and changes nothing the script does.
        string command = $"bash -s <<'FULL_RESTART_SH'\nPS4='+${{EPOCHREALTIME}} '\nset -x\n{script}\n{EndMarker}\nFULL_RESTART_SH\n";

        long started = Stopwatch.GetTimestamp();
        using SshSession ssh = await SshSession.ConnectAsync(context.Facts, cancellationToken);
        RawPhase run = await ssh.RunAsync(command, cancellationToken, phaseName: $"bash -s < {ScriptFile}");
        if (run.Output?.Contains("Full restart complete!", StringComparison.Ordinal) != true)
        {
            throw new BenchException($"{ScriptFile} did not print 'Full restart complete!': {run.Output}");
        }

        await ssh.WaitAsync("nginx /web/health 200", ct => context.NginxHealth.WaitUntilHealthyAsync(PollInterval, HealthDeadline, ct), cancellationToken);
        return ssh.Sample(started, ScriptCommands(run.Output));
    }

    /// <summary>Each traced command with the time until the next one started (a pipeline's parts are one command).</summary>
    private static List<RawPhase> ScriptCommands(string output)
    {
        var traced = TraceLine().Matches(output)
            .Select(m => (At: double.Parse(m.Groups["at"].Value, CultureInfo.InvariantCulture), Command: m.Groups["command"].Value.Trim()))
            .ToList();
        var commands = new List<RawPhase>();
        for (int i = 0; i < traced.Count - 1; i++)
        {
            if (traced[i].Command == "set -x")
            {
                continue;
            }

            // The runbook's one pipeline (`ps aux | grep … | grep -v grep`) is traced part by part, in no fixed order: one command.
            int end = i + 1;
            string name = traced[i].Command;
            while (IsPipelinePart(traced[i].Command) && end < traced.Count - 1 && IsPipelinePart(traced[end].Command))
            {
                name += " | " + traced[end].Command;
                end++;
            }

            commands.Add(new RawPhase(name, Math.Round((traced[end].At - traced[i].At) * 1000, 1)));
            i = end - 1;
        }

        return commands;
    }

    private static bool IsPipelinePart(string command) =>
        command.StartsWith("ps ", StringComparison.Ordinal) || command.StartsWith("grep ", StringComparison.Ordinal);

    [GeneratedRegex(@"^\+(?<at>\d+\.\d+) (?<command>.*)$", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex TraceLine();
}
