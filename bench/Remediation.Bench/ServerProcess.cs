using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Remediation.Bench;

/// <summary>A Remediation server the benchmark runs itself (crash-recovery kills it): the Release build next to this one, on a port of its own, logging to a file.</summary>
public sealed class ServerProcess : IDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, Uri url)
    {
        _process = process;
        Url = url;
    }

    public Uri Url { get; }

    public int Pid => _process.Id;

    /// <summary>Starts the server with <paramref name="settings"/> as environment variables and returns once /healthz answers 200.</summary>
    public static async Task<ServerProcess> StartAsync(IReadOnlyDictionary<string, string> settings, int port, string logFile, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("dotnet", [ServerAssembly()]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        var url = new Uri($"http://127.0.0.1:{port}");
        start.Environment["ASPNETCORE_URLS"] = url.ToString().TrimEnd('/');
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        foreach ((string key, string value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        Process process = Process.Start(start) ?? throw new BenchException("dotnet did not start the server");
        var log = new StreamWriter(logFile, append: true) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.Exited += (_, _) => log.Dispose();
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var server = new ServerProcess(process, url);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (process.HasExited)
            {
                throw new BenchException($"the server exited with code {process.ExitCode}; see {logFile}");
            }

            try
            {
                using HttpResponseMessage response = await http.GetAsync(new Uri(url, "/healthz"), cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Slow first answer.
            }

            await Task.Delay(50, cancellationToken);
        }

        server.Kill();
        throw new BenchException($"the server did not answer /healthz within 60 s; see {logFile}");
    }

    /// <summary>SIGKILL: no shutdown, no lease release — a crash.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.WaitForExit();
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            try
            {
                log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // The process has exited; its last lines raced the close.
            }
        }
    }

    // bench/Remediation.Bench/bin/<configuration>/net10.0 -> src/Remediation.Server/bin/<configuration>/net10.0
    private static string ServerAssembly()
    {
        var bin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string configuration = bin.Parent!.Name;
        string root = bin.Parent!.Parent!.Parent!.Parent!.Parent!.FullName;
        string path = Path.Combine(root, "src", "Remediation.Server", "bin", configuration, "net10.0", "Remediation.Server.dll");
        return File.Exists(path) ? path : throw new BenchException($"build the server first: {path} is missing");
    }
}
