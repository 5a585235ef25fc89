using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Remediation.Bench;

/// <summary>
/// Reads the server's console log (bench/run writes it to a file) for what the server did on the target during one
/// run: every SSH command with its duration, and every SSH connect. Costs nothing on the server: it logs these anyway.
/// </summary>
public sealed partial class ServerLog
{
    private readonly string _path;

    public ServerLog(string path)
    {
        _path = path;
    }

    /// <summary>Where the log ends now; what is read later starts here.</summary>
    public long Mark() => File.Exists(_path) ? new FileInfo(_path).Length : 0;

    /// <summary>Commands and connects logged after <paramref name="offset"/>, placed on the run's clock (ms after <paramref name="runStartedLocal"/>).</summary>
    public ServerActivity Since(long offset, DateTime runStartedLocal)
    {
        string text = ReadFrom(offset);
        var commands = new List<ServerCommand>();
        var connects = new List<ServerConnect>();
        foreach (string line in text.Split('\n'))
        {
            if (!TryTime(line, runStartedLocal, out double endedAtMs))
            {
                continue;
            }

            if (CommandLine().Match(line) is { Success: true } command)
            {
                double duration = double.Parse(command.Groups["ms"].Value, CultureInfo.InvariantCulture);
                string exit = command.Groups["exit"].Value;
                commands.Add(new ServerCommand(
                    command.Groups["command"].Value,
                    int.TryParse(exit, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int code) ? code : null,
                    Math.Round(endedAtMs - duration, 1),
                    duration));
            }
            else if (ConnectLine().Match(line) is { Success: true } connect)
            {
                double duration = double.Parse(connect.Groups["ms"].Value, CultureInfo.InvariantCulture);
                connects.Add(new ServerConnect(Math.Round(endedAtMs - duration, 1), duration));
            }
        }

        return new ServerActivity(commands, connects);
    }

    private string ReadFrom(long offset)
    {
        if (!File.Exists(_path))
        {
            return "";
        }

        using var stream = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        stream.Seek(Math.Min(offset, stream.Length), SeekOrigin.Begin);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    // The server's single-line console format starts with "HH:mm:ss.fff " (local time).
    private static bool TryTime(string line, DateTime runStartedLocal, out double msAfterStart)
    {
        msAfterStart = 0;
        if (line.Length < 12 || !TimeSpan.TryParseExact(line[..12], @"hh\:mm\:ss\.fff", CultureInfo.InvariantCulture, out TimeSpan timeOfDay))
        {
            return false;
        }

        DateTime at = runStartedLocal.Date + timeOfDay;
        if (at < runStartedLocal - TimeSpan.FromHours(12))
        {
            at = at.AddDays(1);
        }

        msAfterStart = Math.Round((at - runStartedLocal).TotalMilliseconds, 1);
        return true;
    }

    // "SSH demo: `sudo -n /usr/bin/supervisorctl status all` exited 0 (signal ) in 251 ms, 240 B stdout, 0 B stderr"
    [GeneratedRegex(@"SSH \S+: `(?<command>[^`]*)` exited (?<exit>\S*) \(signal .*?\) in (?<ms>\d+) ms")]
    private static partial Regex CommandLine();

    // "SSH connected to demo (127.0.0.1:2222) as ops, host key SHA256:… verified, in 95 ms"
    [GeneratedRegex(@"SSH connected to \S+ .* verified, in (?<ms>\d+) ms")]
    private static partial Regex ConnectLine();
}

/// <summary>What the server did on the target during one run, from its log.</summary>
public sealed record ServerActivity(IReadOnlyList<ServerCommand> Commands, IReadOnlyList<ServerConnect> Connects);

/// <summary>One SSH command: started this many ms after the POST, and how long it took on the server's clock.</summary>
public sealed record ServerCommand(string Command, int? ExitCode, double StartedAtMs, double DurationMs);

/// <summary>One SSH connect (TCP, key exchange, host key check, authentication).</summary>
public sealed record ServerConnect(double StartedAtMs, double DurationMs);
