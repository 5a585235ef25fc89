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

    /// <summary>
    /// Whether a running command succeeded, for a readiness watch to wait on. Awaiting it rethrows the command's own
    /// exception (a lost connection stays an <see cref="SshUnreachableException"/> that the orchestration retries),
    /// where <c>ContinueWith(t =&gt; t.Result.Succeeded)</c> would wrap it in an AggregateException that is not retried.
    /// </summary>
    public static async Task<bool> SucceededAsync(Task<CommandResult> command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return (await command.ConfigureAwait(false)).Succeeded;
    }

    /// <summary>One line for records and errors: "`cmd` exited 3: first stderr line".</summary>
    public string Summary()
    {
        string how = TimedOut ? "timed out" : ExitCode is { } code ? $"exited {code}" : $"killed by SIG{ExitSignal}";
        // A few lines joined: "odoo: stopped; odoo: started" tells more than its first line.
        string[] lines = (string.IsNullOrWhiteSpace(Stderr) ? Stdout : Stderr)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        string text = string.Join("; ", lines.Take(3));
        if (text.Length > 300)
        {
            text = text[..300] + "…";
        }

        return text.Length == 0 ? $"`{Command}` {how}" : $"`{Command}` {how}: {text}";
    }
}
