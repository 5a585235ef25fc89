namespace Remediation.Activities.Services;

/// <summary>A port a service is configured to answer on, and whether the target has a listener on it.</summary>
public sealed record PortCheck(string Service, int Port, bool Listening)
{
    public override string ToString() => $"{Service} :{Port} {(Listening ? "listening" : "NOT listening")}";
}
