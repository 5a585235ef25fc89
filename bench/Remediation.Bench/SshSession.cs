using System.Diagnostics;
using System.Globalization;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace Remediation.Bench;

/// <summary>One SSH.NET connection to the fixture as a person or a script would open it (key auth, pinned host key), timing every command it runs.</summary>
public sealed class SshSession : IDisposable
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(120);

    private readonly SshClient _client;
    private readonly List<RawPhase> _phases = [];

    private SshSession(SshClient client)
    {
        _client = client;
    }

    /// <summary>Every command run so far and every wait recorded, in order.</summary>
    public IReadOnlyList<RawPhase> Phases => _phases;

    /// <summary>Opens the connection (key loading included, as a script pays it) and records it as the phase <c>connect</c>.</summary>
    public static async Task<SshSession> ConnectAsync(FixtureFacts facts, CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        var connectionInfo = new ConnectionInfo(
            facts.SshHost,
            facts.SshPort,
            facts.SshUser,
            new PrivateKeyAuthenticationMethod(facts.SshUser, new PrivateKeyFile(facts.ClientKeyFile)))
        {
            Timeout = ConnectTimeout,
        };

        // Offer only the pinned key type, so the server presents exactly the key whose fingerprint is pinned.
        if (!connectionInfo.HostKeyAlgorithms.TryGetValue(facts.HostKeyAlgorithm, out var factory))
        {
            throw new BenchException($"SSH.NET does not support the pinned host key algorithm {facts.HostKeyAlgorithm}");
        }

        connectionInfo.HostKeyAlgorithms.Clear();
        connectionInfo.HostKeyAlgorithms.Add(facts.HostKeyAlgorithm, factory);

        var client = new SshClient(connectionInfo);
        string? presented = null;
        client.HostKeyReceived += (_, e) =>
        {
            presented = "SHA256:" + e.FingerPrintSHA256;
            e.CanTrust = string.Equals(e.HostKeyName, facts.HostKeyAlgorithm, StringComparison.Ordinal)
                && string.Equals(presented, facts.HostKey.TrimEnd('='), StringComparison.Ordinal);
        };

        try
        {
            await client.ConnectAsync(cancellationToken);
        }
        catch (SshConnectionException e) when (presented is not null && presented != facts.HostKey.TrimEnd('='))
        {
            client.Dispose();
            throw new BenchException($"host key of {facts.SshHost}:{facts.SshPort} is {presented}, not the pinned {facts.HostKey}", e);
        }
        catch
        {
            client.Dispose();
            throw;
        }

        var session = new SshSession(client);
        session.Record("connect", Stopwatch.GetElapsedTime(started));
        return session;
    }

    /// <summary>Runs <paramref name="command"/>; a non-zero exit fails the run with the command's output.</summary>
    public async Task<RawPhase> RunAsync(string command, CancellationToken cancellationToken, string? phaseName = null)
    {
        long started = Stopwatch.GetTimestamp();
        using SshCommand ssh = _client.CreateCommand(command);
        ssh.CommandTimeout = CommandTimeout;
        await ssh.ExecuteAsync(cancellationToken);
        TimeSpan took = Stopwatch.GetElapsedTime(started);
        string output = (ssh.Result + ssh.Error).Trim();
        RawPhase phase = Record(phaseName ?? command, took, ssh.ExitStatus, output);
        if (ssh.ExitStatus != 0)
        {
            throw new BenchException($"`{phaseName ?? command}` exited {ssh.ExitStatus?.ToString(CultureInfo.InvariantCulture) ?? "by signal " + ssh.ExitSignal}: {output}");
        }

        return phase;
    }

    /// <summary>Runs a readiness wait (an HTTP or SQL poll) and records it as the phase <paramref name="name"/>.</summary>
    public async Task WaitAsync(string name, Func<CancellationToken, Task> wait, CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        await wait(cancellationToken);
        Record(name, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>The run so far as a sample: the clock ran from <paramref name="startedTimestamp"/> (just before <see cref="ConnectAsync"/>) to now.</summary>
    public RawSample Sample(long startedTimestamp, IReadOnlyList<RawPhase>? scriptCommands = null) => new()
    {
        TotalMs = Math.Round(Stopwatch.GetElapsedTime(startedTimestamp).TotalMilliseconds, 1),
        ConnectMs = _phases[0].DurationMs,
        Phases = [.. _phases],
        ScriptCommands = scriptCommands,
    };

    /// <summary>Records a wait (a readiness poll) between commands as a phase of its own.</summary>
    public RawPhase Record(string name, TimeSpan took, int? exitCode = null, string? output = null)
    {
        // 0.1 ms steps everywhere, so per-run figures and the medians derived from them round alike.
        var phase = new RawPhase(name, Math.Round(took.TotalMilliseconds, 1), exitCode, output);
        _phases.Add(phase);
        return phase;
    }

    public void Dispose()
    {
        if (_client.IsConnected)
        {
            _client.Disconnect();
        }

        _client.Dispose();
    }
}
