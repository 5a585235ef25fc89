using System.Reflection;
using System.Text.RegularExpressions;
using Remediation.Activities.Nginx;
using Remediation.ServiceManagers;
using Remediation.Ssh;
using Remediation.Tests.EndToEnd;
using Xunit;

namespace Remediation.Tests.Infra;

/// <summary>
/// The shipped sudoers drop-in must allow every privileged command the product can produce for the standard stack
/// (odoo, postgresql, nginx under supervisor or systemd) — and sudo matches arguments literally, so "allowed" means
/// an exact line. A new template without its line fails here, not at 3 a.m. on a target.
/// </summary>
[Trait("Category", "Unit")]
public sealed partial class SudoersDropInTests
{
    private static readonly string[] Units = ["odoo", "postgresql", "nginx"];

    /// <summary>Reload is only asked of services whose inventory says canReload: nginx.</summary>
    private static readonly string[] Reloadable = ["nginx"];

    /// <summary>The standard stack's leftover-process searches: (user, pattern) as the inventory sets them.</summary>
    private static readonly (string User, string Pattern)[] Leftovers = [("odoo", "odoo-bin"), ("postgres", "postgres"), ("www-data", "nginx")];

    [Fact]
    public void DropIn_AllowsEveryPrivilegedCommandTemplate()
    {
        HashSet<string> allowed = AllowedCommands(File.ReadAllText(Path.Combine(RepositoryRoot.Find(), "infra", "target", "sudoers.d", "remediation")));

        List<string> missing = [.. PrivilegedCommands().Where(c => !allowed.Contains(c)).Distinct()];

        Assert.True(missing.Count == 0, "infra/target/sudoers.d/remediation lacks exact lines for:\n" + string.Join("\n", missing));
    }

    [Fact]
    public void DropIn_HasNoWildcardsAndNoBareCommands()
    {
        HashSet<string> allowed = AllowedCommands(File.ReadAllText(Path.Combine(RepositoryRoot.Find(), "infra", "target", "sudoers.d", "remediation")));

        Assert.NotEmpty(allowed);
        Assert.All(allowed, c => Assert.DoesNotContain("*", c, StringComparison.Ordinal));
        Assert.All(allowed, c => Assert.Contains(' ', c));
    }

    /// <summary>Every <c>sudo -n</c> command the templates produce, without the <c>sudo -n </c> prefix.</summary>
    private static IEnumerable<string> PrivilegedCommands() => Templates().Where(c => c.Sudo).Select(c => c.ToString()["sudo -n ".Length..]);

    private static IEnumerable<RemoteCommand> Templates()
    {
        IServiceManager[] managers = [SupervisorServiceManager.Instance, new SystemdServiceManager()];
        foreach (IServiceManager manager in managers)
        {
            foreach (MethodInfo template in typeof(IServiceManager).GetMethods().Where(m => m.ReturnType == typeof(RemoteCommand)))
            {
                ParameterInfo[] parameters = template.GetParameters();
                IEnumerable<object?[]> calls = parameters.Length switch
                {
                    0 => [[]],
                    1 when parameters[0].ParameterType == typeof(string) => (template.Name == nameof(IServiceManager.Reload) ? Reloadable : Units).Select(u => new object?[] { u }),
                    1 when parameters[0].ParameterType.IsAssignableFrom(typeof(string[])) => [[Units]],
                    _ => throw new InvalidOperationException($"IServiceManager.{template.Name} has a signature this test cannot enumerate; extend SudoersDropInTests."),
                };
                foreach (object?[] arguments in calls)
                {
                    yield return (RemoteCommand)template.Invoke(manager, arguments)!;
                }
            }
        }

        foreach ((string user, string pattern) in Leftovers)
        {
            yield return ProcessCommands.KillLeftovers(user, pattern);
        }

        yield return TestNginxConfigActivity.ConfigTest();
    }

    /// <summary>The commands listed in the drop-in's <c>Cmnd_Alias</c> entries, as sudo compares them (an empty "" argument is no argument).</summary>
    internal static HashSet<string> AllowedCommands(string sudoers)
    {
        string joined = sudoers.Replace("\\\n", " ", StringComparison.Ordinal);
        var allowed = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match alias in CmndAlias().Matches(joined))
        {
            foreach (string entry in alias.Groups["commands"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                allowed.Add(Whitespace().Replace(entry.Replace(" \"\"", "", StringComparison.Ordinal), " "));
            }
        }

        return allowed;
    }

    [GeneratedRegex(@"^Cmnd_Alias\s+\w+\s*=\s*(?<commands>.+)$", RegexOptions.Multiline)]
    private static partial Regex CmndAlias();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
