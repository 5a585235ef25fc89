namespace Remediation.Server.Api;

/// <summary>Who may call the API (section "Api").</summary>
public sealed class ApiKeyOptions
{
    public const string Section = "Api";

    /// <summary>
    /// File with one "name:key" per line (# comments). When set, every /api call must present a key as
    /// <c>Authorization: Bearer &lt;key&gt;</c> or <c>X-Api-Key</c>. When unset the server only listens on loopback.
    /// </summary>
    public string? KeysFile { get; set; }
}
