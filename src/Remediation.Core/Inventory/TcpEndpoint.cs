using System.Globalization;

namespace Remediation.Inventory;

/// <summary>A "host:port" pair as written in readiness probes.</summary>
public sealed record TcpEndpoint(string Host, int Port)
{
    public static bool TryParse(string value, out TcpEndpoint endpoint)
    {
        endpoint = new TcpEndpoint("", 0);
        int colon = value.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(value.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
        {
            return false;
        }

        endpoint = new TcpEndpoint(value[..colon].Trim('[', ']'), port);
        return true;
    }

    public override string ToString() => $"{Host}:{Port}";
}
