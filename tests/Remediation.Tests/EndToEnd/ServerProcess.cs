using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Remediation.Tests.EndToEnd;

/// <summary>
/// The self-hosted server as a real child process — so a test can SIGKILL it mid-step and start it again on the
/// same task hub, as a crash and a restart of the host would.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    /// <summary>Where every server process started by the tests keeps its log, one file each, for the secrets audit to read.</summary>
    public static readonly string LogDirectory = Path.Combine(Remediation.Tests.Fixture.TargetHostFixture.StateDirectory, "e2e", "server-logs");

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StreamWriter _log;
    private bool _logClosed;

    private ServerProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        Directory.CreateDirectory(LogDirectory);
        string file = Path.Combine(LogDirectory, $"{DateTime.UtcNow:yyyyMMddTHHmmssfff}-{baseAddress.Port}-{process.Id}.log");
        _log = new StreamWriter(file, append: true, Encoding.UTF8) { AutoFlush = true };
    }

    public Uri BaseAddress { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts the server with the given settings (configuration keys as environment variables) and waits until /healthz answers.</summary>
    public static async Task<ServerProcess> StartAsync(IReadOnlyDictionary<string, string> settings, int? port = null)
    {
        int listen = port ?? FreePort();
        var start = new ProcessStartInfo("dotnet", [ServerAssembly()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{listen}";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        foreach ((string key, string value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        Process process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var server = new ServerProcess(process, new Uri($"http://127.0.0.1:{listen}"));
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await server.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        return server;
    }

    /// <summary>SIGKILL: no shutdown hooks, no lease release, nothing flushed — a crash.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
        lock (_output)
        {
            _logClosed = true;
            _log.Dispose();
        }
    }

    private async Task WaitHealthyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the server exited with code {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using HttpResponseMessage response = await http.GetAsync(new Uri(BaseAddress, "/healthz"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"the server did not become healthy within {timeout}:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
            if (!_logClosed)
            {
                _log.WriteLine(line);
            }
        }
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The server's own build output, next to this test assembly's (same configuration).</summary>
    internal static string ServerAssembly()
    {
        string testBin = AppContext.BaseDirectory;
        string configuration = new DirectoryInfo(testBin).Parent!.Name;
        string root = RepositoryRoot.Find();
        string path = Path.Combine(root, "src", "Remediation.Server", "bin", configuration, "net10.0", "Remediation.Server.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"build the server first: {path} is missing");
    }
}
