using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Remediation.Inventory;
using Remediation.Probes;
using Xunit;

namespace Remediation.Tests.Readiness;

/// <summary>The watch against a real socket that goes away and comes back, as a service does during a restart.</summary>
[Trait("Category", "Unit")]
public sealed class ReadinessWatchTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection()
        .AddLogging()
        .AddSingleton<IConfiguration>(new ConfigurationBuilder().Build())
        .AddSshAndProbes()
        .AddSingleton<ReadinessWatch>()
        .BuildServiceProvider();

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task WatchAsync_OutageShorterThanCommand_MeasuresTheOutageNotTheCommand()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        ReadinessProbeDefinition probe = new() { Tcp = $"127.0.0.1:{port}", TimeoutMs = 500 };
        var watch = _services.GetRequiredService<ReadinessWatch>();

        // The "restart": down for ~400 ms, back up, and the command returns a second later (supervisor's startsecs).
        var outage = Stopwatch.StartNew();
        Task<bool> command = Task.Run(async () =>
        {
            await Task.Delay(200);
            listener.Stop();
            outage.Restart();
            await Task.Delay(400);
            listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            outage.Stop();
            await Task.Delay(1000);
            return true;
        });

        ReadinessTimeline timeline = await watch.WatchAsync(probe, new TargetDefinition(), command, TimeSpan.FromSeconds(10), CancellationToken.None);
        listener.Stop();

        Assert.True(timeline.Ready);
        Assert.NotNull(timeline.FirstFailureUtc);
        TimeSpan downtime = timeline.Downtime!.Value;
        // The command ends a full second after the outage: a bound well inside that second tells the two apart, with
        // room for a thread pool busy with the rest of the suite.
        Assert.InRange(downtime.TotalMilliseconds, outage.Elapsed.TotalMilliseconds - 300, outage.Elapsed.TotalMilliseconds + 500);
        Assert.True(timeline.Probes >= 15, $"expected frequent probes over ~1.6 s, got {timeline.Probes}");
    }

    [Fact]
    public async Task WatchAsync_CommandFails_EndsAfterOneMoreProbe()
    {
        ReadinessProbeDefinition probe = new() { Tcp = "127.0.0.1:1", TimeoutMs = 200 };
        var watch = _services.GetRequiredService<ReadinessWatch>();

        var clock = Stopwatch.StartNew();
        ReadinessTimeline timeline = await watch.WatchAsync(probe, new TargetDefinition(), Task.FromResult(false), TimeSpan.FromSeconds(30), CancellationToken.None);

        Assert.False(timeline.Ready);
        Assert.Null(timeline.Downtime);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"gave up only after {clock.Elapsed}");
    }

    [Fact]
    public async Task WatchAsync_NeverComesBack_GivesUpAtTheDeadline()
    {
        // A refused connect answers at once; the probe's timeout is long so that a thread pool busy with the rest of
        // the suite cannot turn "refused" into "no answer" (the detail is what this test is about).
        ReadinessProbeDefinition probe = new() { Tcp = "127.0.0.1:1", TimeoutMs = 3000 };
        var watch = _services.GetRequiredService<ReadinessWatch>();

        var clock = Stopwatch.StartNew();
        ReadinessTimeline timeline = await watch.WatchAsync(probe, new TargetDefinition(), during: null, TimeSpan.FromSeconds(1), CancellationToken.None);

        Assert.False(timeline.Ready);
        Assert.InRange(clock.Elapsed.TotalSeconds, 0.9, 5);
        Assert.Contains("refused", timeline.LastProbe!.Detail, StringComparison.OrdinalIgnoreCase);
    }
}
