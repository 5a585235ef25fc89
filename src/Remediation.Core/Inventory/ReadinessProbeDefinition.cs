namespace Remediation.Inventory;

/// <summary>How to tell that a service is ready: exactly one of an HTTP URL, a TCP endpoint or a SQL round trip.</summary>
public sealed record ReadinessProbeDefinition
{
    /// <summary>An HTTP(S) URL that answers 2xx when the service is ready, e.g. Odoo's /web/health.</summary>
    public Uri? Http { get; init; }

    /// <summary>A "host:port" that accepts TCP connections when the service is ready.</summary>
    public string? Tcp { get; init; }

    /// <summary>True to run <c>SELECT 1</c> against the target's database.</summary>
    public bool Sql { get; init; }

    /// <summary>Per-probe timeout; one slow answer counts as "not ready".</summary>
    public int TimeoutMs { get; init; } = 2000;
}
