namespace Remediation.Server.Api;

/// <summary>Entra ID (or any OpenID Connect issuer) bearer tokens for the API (section "Api:Jwt"); off unless an audience and a key source are set.</summary>
public sealed class ApiJwtOptions
{
    public const string Section = "Api:Jwt";

    /// <summary>The issuer's base URL; its OpenID metadata (<c>/.well-known/openid-configuration</c>) gives the issuer and signing keys, e.g. <c>https://login.microsoftonline.com/{tenant}/v2.0</c>.</summary>
    public string? Authority { get; set; }

    /// <summary>The OpenID metadata document's URL, when it is not under <see cref="Authority"/>.</summary>
    public string? MetadataAddress { get; set; }

    /// <summary>Metadata only over HTTPS (default true); turn off only for a metadata endpoint on loopback.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>The token's <c>iss</c> must be this; required with <see cref="SigningKeysFile"/>, otherwise taken from the metadata.</summary>
    public string? Issuer { get; set; }

    /// <summary>The token's <c>aud</c> must be this (the API's application ID URI or client id).</summary>
    public string? Audience { get; set; }

    /// <summary>A JWKS file (<c>{"keys":[…]}</c>) with the signing keys, instead of (or besides) the metadata's.</summary>
    public string? SigningKeysFile { get; set; }

    /// <summary>The claim that names the caller (default <c>sub</c>): recorded as requester and approver.</summary>
    public string NameClaim { get; set; } = "sub";

    /// <summary>Values of the <c>roles</c> or <c>scp</c> claims that grant read (default Remediation.Read).</summary>
    public string[]? ReadRoles { get; set; }

    /// <summary>… that grant operate: start, cancel, terminate, raise events (default Remediation.Operate).</summary>
    public string[]? OperateRoles { get; set; }

    /// <summary>… that grant approve and reject (default Remediation.Approve).</summary>
    public string[]? ApproveRoles { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(Audience)
        && (!string.IsNullOrWhiteSpace(Authority) || !string.IsNullOrWhiteSpace(MetadataAddress) || !string.IsNullOrWhiteSpace(SigningKeysFile));
}
