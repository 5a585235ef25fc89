using System.Diagnostics;
using System.Net.Sockets;
using Xunit;

namespace Remediation.Tests.Server;

/// <summary>Makes sure Azurite (blob 10000, queue 10001, table 10002) listens on loopback; starts it when nothing does and stops only the process it started.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private static readonly int[] Ports = [10000, 10001, 10002];
    private const string DataDirectory = "/var/lib/remediation-fixture/azurite";

    private Process? _started;

    public async Task InitializeAsync()
    {
        if (await AllListeningAsync())
        {
            return;
        }

        Directory.CreateDirectory(DataDirectory);
        var start = new ProcessStartInfo("azurite")
        {
            ArgumentList =
            {
                "--silent", "--location", DataDirectory, "--skipApiVersionCheck", "--loose",
                "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        try
        {
            _started = Process.Start(start) ?? throw new InvalidOperationException("azurite did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("Azurite is not listening on 127.0.0.1:10000-10002 and 'azurite' is not on PATH (npm install -g azurite).", e);
        }

        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await AllListeningAsync())
        {
            if (_started.HasExited || DateTime.UtcNow > deadline)
            {
                string stderr = _started.HasExited ? await _started.StandardError.ReadToEndAsync() : "(still running)";
                throw new InvalidOperationException($"Azurite did not open ports 10000-10002 within 30 s (exit: {(_started.HasExited ? _started.ExitCode : "none")}): {stderr}");
            }

            await Task.Delay(100);
        }
    }

    public async Task DisposeAsync()
    {
        if (_started is { HasExited: false })
        {
            _started.Kill(entireProcessTree: true);
            await _started.WaitForExitAsync();
        }

        _started?.Dispose();
    }

    private static async Task<bool> AllListeningAsync()
    {
        foreach (int port in Ports)
        {
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync("127.0.0.1", port);
            }
            catch (SocketException)
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>Tests that need Azurite share one fixture and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
