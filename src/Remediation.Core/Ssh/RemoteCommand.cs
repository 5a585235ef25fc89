using System.Text.RegularExpressions;

namespace Remediation.Ssh;

/// <summary>
/// A command for a target, built only from fixed templates: an absolute executable and arguments that
/// match a strict character set. Nothing here is quoted or escaped because nothing that needs it is allowed.
/// </summary>
public sealed partial record RemoteCommand
{
    private RemoteCommand(string executable, IReadOnlyList<string> arguments, bool sudo)
    {
        Executable = executable;
        Arguments = arguments;
        Sudo = sudo;
    }

    public string Executable { get; }
    public IReadOnlyList<string> Arguments { get; }

    /// <summary>Runs as <c>sudo -n</c>: never prompts, fails fast when the sudoers drop-in does not allow it.</summary>
    public bool Sudo { get; }

    /// <summary>A command run as the SSH user.</summary>
    public static RemoteCommand Run(string executable, params string[] arguments) => Create(executable, arguments, sudo: false);

    /// <summary>A command run through <c>sudo -n</c>; it must be listed in the target's sudoers drop-in.</summary>
    public static RemoteCommand RunAsRoot(string executable, params string[] arguments) => Create(executable, arguments, sudo: true);

    /// <summary>True when a value may be used as a unit, program, file or pattern argument.</summary>
    public static bool IsSafeArgument(string value) => SafeArgument().IsMatch(value);

    public override string ToString() =>
        (Sudo ? "sudo -n " : "") + string.Join(' ', Arguments.Prepend(Executable));

    private static RemoteCommand Create(string executable, string[] arguments, bool sudo)
    {
        if (!SafeExecutable().IsMatch(executable))
        {
            throw new ArgumentException($"'{executable}' is not an absolute path to an executable.", nameof(executable));
        }

        foreach (string argument in arguments)
        {
            if (!IsSafeArgument(argument))
            {
                throw new ArgumentException(
                    $"'{argument}' cannot be passed to {executable}: arguments may contain only letters, digits and . _ - + / : @ = , and must not start with '-' unless it is an option.",
                    nameof(arguments));
            }
        }

        return new RemoteCommand(executable, arguments, sudo);
    }

    [GeneratedRegex("^/(?:[A-Za-z0-9._+-]+/)*[A-Za-z0-9._+-]+$")]
    private static partial Regex SafeExecutable();

    // No whitespace, quotes, $, `, ;, |, &, <, >, *, ?, ~, brackets or backslashes: the remote shell has nothing to expand.
    [GeneratedRegex("^[A-Za-z0-9._+/:@=,-]{1,256}$")]
    private static partial Regex SafeArgument();
}
