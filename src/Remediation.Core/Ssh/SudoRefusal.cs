namespace Remediation.Ssh;

/// <summary>Recognises a command that <c>sudo -n</c> refused because the target's sudoers drop-in does not list it.</summary>
public static class SudoRefusal
{
    /// <summary>Where the allowed commands are defined; an operator reading the error should look there.</summary>
    public const string DropIn = "infra/target/sudoers.d/remediation";

    // With -n, sudo never prompts: a command outside the drop-in ends here instead of hanging on a password prompt.
    private static readonly string[] Markers =
    [
        "a password is required",
        "is not allowed to execute",
        "is not in the sudoers file",
        "a terminal is required",
    ];

    /// <summary>True when the result is sudo's own refusal rather than the command's failure.</summary>
    public static bool IsRefused(CommandResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Command.StartsWith("sudo ", StringComparison.Ordinal)
            && result.ExitCode == 1
            && Markers.Any(marker => result.Stderr.Contains(marker, StringComparison.Ordinal));
    }

    /// <summary>"`sudo -n …` is not allowed by the sudoers drop-in … on this target (sudo: a password is required)".</summary>
    public static string Explain(CommandResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        string stderr = result.Stderr.Trim();
        int newline = stderr.IndexOf('\n', StringComparison.Ordinal);
        string firstLine = newline >= 0 ? stderr[..newline] : stderr;
        return $"`{result.Command}` is not allowed by the sudoers drop-in ({DropIn}) on this target ({firstLine}); add exactly this command line to it, or fix the command.";
    }
}
