using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Remediation.Tests.EndToEnd;
using Remediation.Tests.Fixture;
using Xunit;

namespace Remediation.Tests.Server.Api;

/// <summary>
/// The real server process, given no API key and addresses beyond loopback in each way ASP.NET Core takes them: it must exit
/// with code 1 and one line on stderr, and answer no request meanwhile; on loopback it serves.
/// </summary>
[Trait("Category", "EndToEnd")]
[Collection(TargetHostCollection.Name)]
public sealed class ExposureGuardEndToEndTests(TargetHostFixture fixture)
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);

    public static TheoryData<string, string> ExposedSettings => new()
    {
        { "ASPNETCORE_HTTP_PORTS", "{port}" },
        { "ASPNETCORE_URLS", "http://0.0.0.0:{port}" },
        { "DOTNET_URLS", "http://*:{port}" },
        { "ASPNETCORE_URLS", "http://+:{port}" },
        { "Kestrel__Endpoints__Api__Url", "http://[::]:{port}" },
        { "--urls", "http://127.0.0.1:{port};http://0.0.0.0:{port2}" },
    };

    [Theory]
    [MemberData(nameof(ExposedSettings))]
    public async Task Start_NoKeysBoundBeyondLoopback_ExitsWithOneLineAndAnswersNothing(string setting, string value)
    {
        int port = ServerProcess.FreePort();
        string bound = value.Replace("{port}", port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{port2}", ServerProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        using Process server = Start(setting, bound);
        var stderr = new StringBuilder();
        server.ErrorDataReceived += (_, e) => { lock (stderr) { stderr.AppendLine(e.Data); } };
        server.OutputDataReceived += (_, _) => { };
        server.BeginErrorReadLine();
        server.BeginOutputReadLine();

        int answered = 0, attempts = 0;
        var elapsed = Stopwatch.StartNew();
        while (!server.HasExited && elapsed.Elapsed < ExitTimeout)
        {
            attempts++;
            if (await AnswersAsync(port))
            {
                answered++;
            }

            await Task.Delay(20);
        }

        Assert.True(server.WaitForExit(ExitTimeout), "the server did not exit");
        server.WaitForExit();
        string[] lines = stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(1, server.ExitCode);
        string line = Assert.Single(lines);
        Assert.StartsWith("Refusing to serve: the API has no keys and is bound to ", line, StringComparison.Ordinal);
        Assert.Contains("Api:KeysFile", line, StringComparison.Ordinal);
        Assert.Equal(0, answered);
        Assert.True(attempts > 0);
    }

    [Fact]
    public async Task Start_NoKeysOnLoopback_Serves()
    {
        await using ServerProcess server = await ServerProcess.StartAsync(Settings());

        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        HttpResponseMessage response = await http.GetAsync(new Uri("/api/remediations/no-such-run", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private Dictionary<string, string> Settings() => new()
    {
        ["Api:KeysFile"] = "",
        ["Remediation:InventoryFile"] = fixture.Facts.InventoryFile,
        ["Durable:TaskHubName"] = EndToEndServer.NewHub(),
        ["Durable:StorageConnectionString"] = fixture.Facts.StorageConnectionString,
        ["Artifacts:ConnectionString"] = fixture.Facts.StorageConnectionString,
    };

    private Process Start(string setting, string value)
    {
        var start = new ProcessStartInfo("dotnet", [ServerProcess.ServerAssembly()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string inherited in new[] { "ASPNETCORE_URLS", "DOTNET_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "DOTNET_HTTP_PORTS", "DOTNET_HTTPS_PORTS" })
        {
            start.Environment.Remove(inherited);
        }

        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        foreach ((string key, string v) in Settings())
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = v;
        }

        if (setting.StartsWith("--", StringComparison.Ordinal))
        {
            start.ArgumentList.Add(setting);
            start.ArgumentList.Add(value);
        }
        else
        {
            start.Environment[setting] = value;
        }

        return Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
    }

    /// <summary>True when a request on <paramref name="port"/> got any HTTP response at all.</summary>
    private static async Task<bool> AnswersAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
            NetworkStream stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes(
                "POST /api/remediations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"));
            byte[] buffer = new byte[64];
            int read = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
            return read > 0;
        }
        catch (Exception e) when (e is SocketException or IOException or TimeoutException)
        {
            return false;
        }
    }
}
