using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Remediation.Server.DurableRuntime;
using Xunit;

namespace Remediation.Tests.Server.Recovery;

[Trait("Category", "Unit")]
public sealed class TaskHubStorageProbeTests
{
    // Azurite's published development key: the probe must fail on the closed port, not on the credentials.
    private const string DevKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    [Fact]
    public async Task CheckAsync_NothingListening_UnreachableWithinTheTimeoutAndHealthCheckUnhealthy()
    {
        using var probe = new TaskHubStorageProbe(Options(ClosedPort()));
        var clock = Stopwatch.StartNew();

        StorageReachability result = await probe.CheckAsync();
        HealthCheckResult health = await new TaskHubStorageHealthCheck(probe).CheckHealthAsync(new HealthCheckContext());

        Assert.False(result.IsReachable);
        Assert.StartsWith("task hub storage is unreachable (http://127.0.0.1:", result.Description, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TaskHubStorageProbe.Timeout + TimeSpan.FromSeconds(1), $"took {clock.Elapsed}");
        Assert.Equal(HealthStatus.Unhealthy, health.Status);
        Assert.Equal(result.Description, health.Description);
    }

    [Fact]
    public async Task CheckAsync_StorageComesBack_AnswerChangesOnlyAfterTheCachePeriod()
    {
        int port = ClosedPort();
        var time = new FakeTimeProvider();
        using var probe = new TaskHubStorageProbe(Options(port), time);
        Assert.False((await probe.CheckAsync()).IsReachable);

        // Something answering HTTP on the port: any answer (here 400 from a non-storage server) means reachable-or-not is decided by the account.
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        Task serve = Task.Run(async () =>
        {
            while (listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await listener.GetContextAsync();
                }
                catch (HttpListenerException)
                {
                    return;
                }
                catch (ObjectDisposedException)
                {
                    return;
                }

                context.Response.StatusCode = 404;
                context.Response.Close();
            }
        });

        Assert.False((await probe.CheckAsync()).IsReachable);
        time.Advance(TaskHubStorageProbe.CacheFor);
        StorageReachability after = await probe.CheckAsync();

        Assert.True(after.IsReachable, after.Description);
        listener.Stop();
        await serve;
    }

    private static IOptions<DurableRuntimeOptions> Options(int port) => Microsoft.Extensions.Options.Options.Create(new DurableRuntimeOptions
    {
        TaskHubName = "probetest",
        StorageConnectionString =
            $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DevKey};QueueEndpoint=http://127.0.0.1:{port}/devstoreaccount1",
    });

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
