using System.Net;
using System.Net.Sockets;

namespace Remediation.Tests.Probes;

/// <summary>Loopback ports for probe tests: one nobody listens on, and listeners that answer (or do not).</summary>
internal static class LoopbackPorts
{
    /// <summary>A port that was free a moment ago; connecting to it is refused.</summary>
    public static int Closed()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A listener on an ephemeral loopback port.</summary>
    public static TcpListener Listen()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return listener;
    }

    public static int PortOf(TcpListener listener) => ((IPEndPoint)listener.LocalEndpoint).Port;
}
