using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Remediation.Probes;
using Remediation.ServiceManagers;
using Remediation.Ssh;

namespace Remediation;

/// <summary>Registers the SSH connector, the service managers and the probes.</summary>
public static class SshAndProbesServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="ISshConnector"/> (a <see cref="PooledSshConnector"/>), <see cref="IServiceManagerProvider"/>, <see cref="HttpProbe"/>, <see cref="TcpProbe"/>,
    /// <see cref="OdooDatabase"/>, <see cref="ReadinessChecker"/> and <see cref="LogScanner"/> as singletons (all are
    /// stateless or thread-safe), with options bound from "Remediation:Ssh" and "Remediation:Database" when configuration exists.
    /// </summary>
    public static IServiceCollection AddSshAndProbes(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);

        services.AddOptions<SshOptions>()
            .Configure<IServiceProvider>((options, provider) => provider.GetService<IConfiguration>()?.GetSection(SshOptions.SectionName).Bind(options))
            .Validate(o => o.ConnectTimeout > TimeSpan.Zero, "Remediation:Ssh:ConnectTimeout must be positive.")
            .Validate(o => o.MaxOutputBytes > 0, "Remediation:Ssh:MaxOutputBytes must be positive.")
            .Validate(o => o.IdleTimeout > TimeSpan.Zero, "Remediation:Ssh:IdleTimeout must be positive.")
            .Validate(o => o.MaxChannelsPerConnection > 0, "Remediation:Ssh:MaxChannelsPerConnection must be positive.")
            .ValidateOnStart();
        services.AddOptions<OdooDatabaseOptions>()
            .Configure<IServiceProvider>((options, provider) => provider.GetService<IConfiguration>()?.GetSection(OdooDatabaseOptions.SectionName).Bind(options))
            .Validate(o => o.ConnectTimeout > TimeSpan.Zero && o.CommandTimeout > TimeSpan.Zero, "Remediation:Database timeouts must be positive.")
            .ValidateOnStart();

        // One pooled connection per target in this process; the container disposes the pool (closing them) on shutdown.
        services.TryAddSingleton<SshNetConnector>();
        services.TryAddSingleton<ISshConnector, PooledSshConnector>();
        services.TryAddSingleton<IServiceManagerProvider, ServiceManagerProvider>();

        services.AddHttpClient(HttpProbe.ClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                // Odoo's /web answers with a redirect to /web/login; the login page is the health signal.
                AllowAutoRedirect = true,
                MaxAutomaticRedirections = 5,

                // Every probe opens its own connection: a kept-alive one would hide that the service stopped
                // accepting new ones, and outlive the process it was connected to.
                PooledConnectionLifetime = TimeSpan.Zero,
                UseProxy = false,
                UseCookies = false,
            })

            // The readiness watch probes every 50 ms; the factory's per-request Information logs would drown the run.
            .RemoveAllLoggers();

        services.TryAddSingleton<HttpProbe>();
        services.TryAddSingleton<TcpProbe>();
        services.TryAddSingleton<OdooDatabase>();
        services.TryAddSingleton<ReadinessChecker>();
        services.TryAddSingleton<LogScanner>();
        services.TryAddSingleton<OdooLogin>();
        return services;
    }
}
