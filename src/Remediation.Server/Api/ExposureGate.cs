namespace Remediation.Server.Api;

/// <summary>
/// Holds every request until the bound addresses have been judged: Kestrel starts accepting connections before the host can
/// read where it is listening, so without this gate a request could be served on an address the judgement then refuses.
/// </summary>
public sealed class ExposureGate
{
    private volatile bool _open;

    /// <summary>True once the addresses were judged safe; until then requests are aborted unanswered.</summary>
    public bool IsOpen => _open;

    public void Open() => _open = true;
}
