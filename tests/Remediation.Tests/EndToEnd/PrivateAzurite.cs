using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Remediation.Tests.EndToEnd;

/// <summary>An Azurite of the test's own, on free loopback ports with its own data directory, that the test may stop and start again — the shared one on 10000-10002 is never touched.</summary>
internal sealed class PrivateAzurite : IAsyncDisposable
{
    // Azurite's published development account and key.
    private const string Account = "devstoreaccount1";
    private const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly string _directory;
    private readonly int _blob;
    private readonly int _queue;
    private readonly int _table;
    private Process? _process;

    private PrivateAzurite(string directory)
    {
        _directory = directory;
        _blob = FreePort();
        _queue = FreePort();
        _table = FreePort();
    }

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={Account};AccountKey={Key};" +
        $"BlobEndpoint=http://127.0.0.1:{_blob}/{Account};QueueEndpoint=http://127.0.0.1:{_queue}/{Account};TableEndpoint=http://127.0.0.1:{_table}/{Account}";

    public string Log => Path.Combine(_directory, "azurite.log");

    public static async Task<PrivateAzurite> StartAsync(string parentDirectory)
    {
        string directory = Path.Combine(parentDirectory, "azurite-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        var azurite = new PrivateAzurite(directory);
        await azurite.StartAgainAsync();
        return azurite;
    }

    /// <summary>Starts it (again) on the same ports and data, and waits until all three services listen.</summary>
    public async Task StartAgainAsync()
    {
        if (_process is { HasExited: false })
        {
            throw new InvalidOperationException("this Azurite is already running");
        }

        _process?.Dispose();
        var start = new ProcessStartInfo("azurite")
        {
            ArgumentList =
            {
                "--silent", "--location", _directory, "--skipApiVersionCheck", "--loose", "--debug", Log,
                "--blobHost", "127.0.0.1", "--blobPort", _blob.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--queueHost", "127.0.0.1", "--queuePort", _queue.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--tableHost", "127.0.0.1", "--tablePort", _table.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("azurite did not start");
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var clock = Stopwatch.StartNew();
        while (!(Answers(_blob) && Answers(_queue) && Answers(_table)))
        {
            if (_process.HasExited || clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new InvalidOperationException($"the private Azurite in {_directory} did not listen within 30 s (exited: {_process.HasExited})");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Stops it with SIGTERM (Azurite saves its data on the way out) and waits until it has exited: an outage.</summary>
    public async Task StopAsync()
    {
        if (_process is not { HasExited: false } process)
        {
            return;
        }

        using (Process kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process?.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Kept for a look after a failure; the next fixture run's state directory cleanup removes it.
        }
    }

    private static bool Answers(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
