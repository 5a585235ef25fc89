using System.Net;

namespace Remediation.Server.Api;

/// <summary>Judges the addresses the server actually bound: without keys, only loopback may be bound, or the API is open to the network.</summary>
public static class ApiExposure
{
    /// <summary>The bound addresses that are not loopback: wildcards (<c>*</c>, <c>+</c>, <c>0.0.0.0</c>, <c>[::]</c>), other IPs and host names.</summary>
    public static IReadOnlyList<string> NonLoopback(IEnumerable<string> boundAddresses)
    {
        ArgumentNullException.ThrowIfNull(boundAddresses);
        return [.. boundAddresses.Where(address => !IsLoopback(address))];
    }

    /// <summary>The one line to print when the server must not serve: what is exposed and the two ways to fix it; null when it may serve.</summary>
    public static string? Refusal(IEnumerable<string> boundAddresses, bool keysRequired)
    {
        IReadOnlyList<string> exposed = NonLoopback(boundAddresses);
        return keysRequired || exposed.Count == 0
            ? null
            : $"Refusing to serve: the API has no keys and is bound to {string.Join(", ", exposed)}, so anyone who can reach it could restart services. " +
              "Set Api:KeysFile (lines of 'name:key'), or listen on loopback only (e.g. ASPNETCORE_URLS=http://127.0.0.1:7071).";
    }

    private static bool IsLoopback(string address)
    {
        // Kestrel reports wildcards as they were asked for ("http://*:80", "http://+:80"); they bind every interface.
        string normalised = address.Replace("://*", "://wildcard", StringComparison.Ordinal).Replace("://+", "://wildcard", StringComparison.Ordinal);
        if (!Uri.TryCreate(normalised, UriKind.Absolute, out Uri? uri))
        {
            return false;
        }

        // "localhost" is the only name Kestrel binds to loopback alone; any other name makes it bind every interface.
        return uri.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out IPAddress? ip) && IPAddress.IsLoopback(ip));
    }
}
