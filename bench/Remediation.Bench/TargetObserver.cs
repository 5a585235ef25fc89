using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Remediation.Bench;

/// <summary>What supervisor says about the fixture's programs on this machine, read locally as root: state and pid, spawns logged by supervisord, the stand-in's test knobs.</summary>
public sealed partial class TargetObserver
{
    private const string SupervisorCtl = "/usr/bin/supervisorctl";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);

    private readonly FixtureFacts _facts;

    public TargetObserver(FixtureFacts facts)
    {
        _facts = facts;
    }

    /// <summary>The programs of the fixture's stack, in dependency order.</summary>
    public static readonly IReadOnlyList<string> Programs = ["postgresql", "odoo", "nginx"];

    /// <summary>The state column and pid of <c>supervisorctl status PROGRAM</c> (the exit code is not trusted: it is 0 for STARTING/BACKOFF too).</summary>
    public static async Task<ProgramStatus> ReadAsync(string program, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(SupervisorCtl)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("status");
        start.ArgumentList.Add(program);

        using var process = Process.Start(start) ?? throw new BenchException($"cannot start {SupervisorCtl}");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CommandTimeout);
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        Task<string> stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill();
            throw new BenchException($"{SupervisorCtl} status {program} did not answer within {CommandTimeout.TotalSeconds:0} s");
        }

        string output = (await stdout).Trim();
        Match match = StatusLine().Matches(output).FirstOrDefault(m => m.Groups["program"].Value == program)
            ?? throw new BenchException($"{SupervisorCtl} status {program} (exit {process.ExitCode}): {output} {(await stderr).Trim()}");
        int? pid = match.Groups["pid"].Success ? int.Parse(match.Groups["pid"].Value, CultureInfo.InvariantCulture) : null;
        return new ProgramStatus(match.Groups["state"].Value, pid, output);
    }

    /// <summary>Every program of the stack, read one after the other.</summary>
    public static async Task<IReadOnlyDictionary<string, ProgramStatus>> ReadAllAsync(CancellationToken cancellationToken)
    {
        var all = new Dictionary<string, ProgramStatus>(StringComparer.Ordinal);
        foreach (string program in Programs)
        {
            all[program] = await ReadAsync(program, cancellationToken);
        }

        return all;
    }

    /// <summary>Current length of supervisord's log: the offset from which <see cref="SpawnsSince"/> counts.</summary>
    public long SupervisorLogLength()
    {
        var file = new FileInfo(_facts.SupervisorLog);
        return file.Exists ? file.Length : 0;
    }

    /// <summary>Per program of the stack, the pids of every <c>spawned: 'PROGRAM' with pid N</c> supervisord logged after <paramref name="offset"/> (from the start if the log was rotated).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<int>> SpawnsSince(long offset)
    {
        var spawns = Programs.ToDictionary(p => p, _ => new List<int>(), StringComparer.Ordinal);
        if (File.Exists(_facts.SupervisorLog))
        {
            foreach (Match match in SpawnLine().Matches(ReadFrom(offset)))
            {
                if (spawns.TryGetValue(match.Groups["program"].Value, out List<int>? pids))
                {
                    pids.Add(int.Parse(match.Groups["pid"].Value, CultureInfo.InvariantCulture));
                }
            }
        }

        return spawns.ToDictionary(p => p.Key, p => (IReadOnlyList<int>)p.Value, StringComparer.Ordinal);
    }

    private string ReadFrom(long offset)
    {
        using var stream = new FileStream(_facts.SupervisorLog, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        stream.Seek(offset <= stream.Length ? offset : 0, SeekOrigin.Begin);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>Test knobs of the Odoo stand-in that someone (an end-to-end test) has set; any of them changes how odoo restarts.</summary>
    public IReadOnlyList<string> ActiveKnobs() =>
        Directory.Exists(_facts.KnobsDirectory)
            ? Directory.EnumerateFiles(_facts.KnobsDirectory).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList()
            : [];

    [GeneratedRegex(@"^(?<program>\S+)\s+(?<state>[A-Z]+)(?:\s+pid (?<pid>\d+))?", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex StatusLine();

    [GeneratedRegex(@"spawned: '(?<program>[^']+)' with pid (?<pid>\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex SpawnLine();
}

/// <summary>One reading of <c>supervisorctl status PROGRAM</c>.</summary>
public sealed record ProgramStatus(string State, int? Pid, string Line)
{
    public bool IsRunning => State == "RUNNING" && Pid is not null;
}
