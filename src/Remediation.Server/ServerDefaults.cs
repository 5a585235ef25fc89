namespace Remediation.Server;

/// <summary>Where the server listens when nothing says otherwise: loopback, the port Azure Functions Core Tools use.</summary>
public static class ServerDefaults
{
    public const string Urls = "http://127.0.0.1:7071";

    /// <summary>True when the configuration already chooses listen addresses (urls, http_ports/https_ports, Kestrel:Endpoints).</summary>
    public static bool HasConfiguredEndpoints(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return !string.IsNullOrEmpty(configuration["urls"])
            || !string.IsNullOrEmpty(configuration["http_ports"])
            || !string.IsNullOrEmpty(configuration["https_ports"])
            || configuration.GetSection("Kestrel:Endpoints").GetChildren().Any();
    }
}
