using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Remediation.Intake.Alerts;

/// <summary>
/// Checks a webhook call's credentials for its source, in constant time. Host-neutral: the server's endpoint filter and
/// the Functions triggers pass the headers and query value they received.
/// </summary>
public sealed class AlertWebhookAuthenticator(IOptions<AlertOptions> options)
{
    public const string SecretHeader = "X-Webhook-Secret";
    public const string SecretQuery = "secret";

    /// <summary>Null when the call may go on; otherwise why not (for the 401's detail — never echoing what was sent).</summary>
    public string? Refusal(string source, string? authorization, string? secretHeader, string? secretQuery)
    {
        if (!options.Value.Webhooks.TryGetValue(source, out AlertWebhookCredentials? expected) || !Configured(expected))
        {
            return $"No credentials are configured for {source} webhooks (Alerts:Webhooks:{source}); every call is refused until they are.";
        }

        if (source == AlertSource.AzureMonitor)
        {
            string? presented = secretHeader ?? secretQuery;
            return presented is not null && expected.Secret is { Length: > 0 } secret && Same(presented, secret)
                ? null
                : $"Azure Monitor webhooks must carry the secret: '?{SecretQuery}=…' in the action group's webhook URL or an '{SecretHeader}' header.";
        }

        authorization ??= "";
        if (expected.BearerToken is { Length: > 0 } token && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            && Same(authorization["Bearer ".Length..].Trim(), token))
        {
            return null;
        }

        if (expected.Username is { Length: > 0 } user && expected.Password is { Length: > 0 } password
            && authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase) && Basic(authorization["Basic ".Length..].Trim()) is { } pair
            && Same(pair.User, user) & Same(pair.Password, password))
        {
            return null;
        }

        return $"{source} webhooks must authenticate: 'Authorization: Bearer <token>' or basic auth, as configured in Alerts:Webhooks:{source}.";
    }

    private static bool Configured(AlertWebhookCredentials c) =>
        c.BearerToken is { Length: > 0 } || c.Secret is { Length: > 0 } || (c.Username is { Length: > 0 } && c.Password is { Length: > 0 });

    private static (string User, string Password)? Basic(string encoded)
    {
        try
        {
            string text = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
            int colon = text.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? null : (text[..colon], text[(colon + 1)..]);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static bool Same(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
