namespace Remediation.Ssh;

/// <summary>The uniform outcome of one remote command: what ran, how it ended, what it printed (capped).</summary>
public sealed record CommandResult
{
    /// <summary>The command line as sent to the target (built from a template; safe to show).</summary>
    public required string Command { get; init; }

    /// <summary>Exit status; null when the command was killed by a signal or timed out.</summary>
    public int? ExitCode { get; init; }

    public string? ExitSignal { get; init; }
    public string Stdout { get; init; } = "";
    public string Stderr { get; init; } = "";
    public bool TimedOut { get; init; }

    /// <summary>True when stdout or stderr was longer than the cap and was cut.</summary>
    public bool OutputTruncated { get; init; }

    public long DurationMs { get; init; }

    public bool Succeeded => ExitCode == 0 && !TimedOut;

    /// <summary>One line for records and errors: "`cmd` exited 3: first stderr line".</summary>
    public string Summary()
    {
        string how = TimedOut ? "timed out" : ExitCode is { } code ? $"exited {code}" : $"killed by SIG{ExitSignal}";
        string text = (string.IsNullOrWhiteSpace(Stderr) ? Stdout : Stderr).Trim();
        int newline = text.IndexOf('\n', StringComparison.Ordinal);
        if (newline >= 0)
        {
            text = text[..newline];
        }

        return text.Length == 0 ? $"`{Command}` {how}" : $"`{Command}` {how}: {text}";
    }
}
