using System.Net;

namespace Remediation.Server.Api;

/// <summary>Refuses to serve an unauthenticated API beyond this machine: without keys, only loopback addresses may be bound.</summary>
public static class ApiExposure
{
    /// <summary>The listen addresses that are not loopback, read from urls / ASPNETCORE_URLS / Kestrel:Endpoints.</summary>
    public static IReadOnlyList<string> NonLoopbackUrls(IConfiguration configuration)
    {
        IEnumerable<string> urls = (configuration["urls"] ?? ServerDefaults.Urls).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Concat(configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"]).OfType<string>());
        return [.. urls.Where(url => !IsLoopback(url))];
    }

    public static void EnsureSafe(IConfiguration configuration, ApiKeys keys)
    {
        IReadOnlyList<string> exposed = NonLoopbackUrls(configuration);
        if (!keys.Required && exposed.Count > 0)
        {
            throw new InvalidOperationException(
                $"Refusing to start: the API would accept unauthenticated requests on {string.Join(", ", exposed)}. " +
                "Set Api:KeysFile (lines of 'name:key'), or listen on loopback only.");
        }
    }

    private static bool IsLoopback(string url)
    {
        // Kestrel's wildcards ("http://*:80", "http://+:80") bind every interface.
        string host = url.Replace("://*", "://wildcard", StringComparison.Ordinal).Replace("://+", "://wildcard", StringComparison.Ordinal);
        if (!Uri.TryCreate(host, UriKind.Absolute, out Uri? uri))
        {
            return false;
        }

        return uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out IPAddress? ip) && IPAddress.IsLoopback(ip));
    }
}
