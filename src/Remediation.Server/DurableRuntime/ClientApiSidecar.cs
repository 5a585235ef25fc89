using System.Net;
using DurableTask.Core;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Remediation.Server.DurableRuntime;

/// <summary>The loopback gRPC endpoint through which <c>DurableTaskClient</c> reaches the task hub — the same client API a <c>[DurableClient]</c> gets in Azure Functions.</summary>
/// <remarks>
/// A private Kestrel of its own rather than a route on the public API: the public listener stays configurable with
/// <c>--urls</c>, and the management surface (terminate, purge) is never reachable from outside the machine.
/// <see cref="TaskHubGrpcServerMode.ApiServerOnly"/> because DTFx's <see cref="TaskHubWorker"/> executes the work;
/// the sidecar's own dispatcher mangles history on the Azure Storage backend (see the self-host spike's FINDINGS).
/// </remarks>
internal sealed class ClientApiSidecar : IAsyncDisposable
{
    private readonly WebApplication _app;

    public ClientApiSidecar(IOrchestrationService service, IOrchestrationServiceClient client, ILoggerFactory loggerFactory, int port)
    {
        // The empty builder reads no configuration, so ASPNETCORE_URLS and appsettings meant for the public API don't leak in.
        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddLogging();
        builder.Services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(new SidecarLoggerFactory(loggerFactory)));
        // The server's host owns Ctrl+C and SIGTERM; the sidecar stops when the runtime stops it, after the worker.
        builder.Services.Replace(ServiceDescriptor.Singleton<IHostLifetime, PassiveHostLifetime>());
        builder.Services.AddRoutingCore();
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(service);
        builder.Services.AddSingleton(client);
        builder.Services.Configure<TaskHubGrpcServerOptions>(o => o.Mode = TaskHubGrpcServerMode.ApiServerOnly);
        builder.Services.AddSingleton<TaskHubGrpcServer>();

        _app = builder.Build();
        _app.MapGrpcService<TaskHubGrpcServer>();
    }

    /// <summary>Starts listening and returns the bound loopback port.</summary>
    public async Task<int> StartAsync(CancellationToken cancellationToken)
    {
        await _app.StartAsync(cancellationToken);
        string address = _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new Uri(address).Port;
    }

    public Task StopAsync(CancellationToken cancellationToken) => _app.StopAsync(cancellationToken);

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    // The server's logger factory without the sidecar host's "Now listening on…" lines, which would read as a second
    // public listener; the runtime logs the sidecar's port itself.
    private sealed class SidecarLoggerFactory(ILoggerFactory inner) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) =>
            categoryName.StartsWith("Microsoft.Hosting.Lifetime", StringComparison.Ordinal) ? NullLogger.Instance : inner.CreateLogger(categoryName);

        public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

        // The server owns the inner factory.
        public void Dispose()
        {
        }
    }

    private sealed class PassiveHostLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
