namespace Remediation.Activities.Services;

/// <summary>The processes of one service as <c>pgrep -a -u user -f pattern</c> lists them.</summary>
public sealed record ServiceProcesses(string Service, string User, string Pattern, IReadOnlyList<string> Processes)
{
    public override string ToString() => $"{Service}: {Processes.Count} {Pattern} process(es) of {User}";
}
