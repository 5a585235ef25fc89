using System.Diagnostics;
using Renci.SshNet;
using Renci.SshNet.Common;

namespace Remediation.Bench;

/// <summary>Variant (a), "raw", by hand: one SSH.NET connection (key auth, pinned host key), <c>sudo -n /usr/bin/supervisorctl restart odoo</c>, then <c>/web/health</c> every 5 ms until 200.</summary>
public sealed class RawRestart
{
    public const string Command = "sudo -n /usr/bin/supervisorctl restart odoo";

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan HealthDeadline = TimeSpan.FromSeconds(60);

    private readonly FixtureFacts _facts;
    private readonly HealthProbe _health;

    public RawRestart(FixtureFacts facts, HealthProbe health)
    {
        _facts = facts;
        _health = health;
    }

    /// <summary>Restarts odoo once; the clock runs from just before the connection is opened to the first 200 of the health probe.</summary>
    public async Task<RawSample> RunAsync(CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();

        var connectionInfo = new ConnectionInfo(
            _facts.SshHost,
            _facts.SshPort,
            _facts.SshUser,
            new PrivateKeyAuthenticationMethod(_facts.SshUser, new PrivateKeyFile(_facts.ClientKeyFile)))
        {
            Timeout = ConnectTimeout,
        };
        PinHostKeyAlgorithm(connectionInfo);

        using var client = new SshClient(connectionInfo);
        string? presented = null;
        client.HostKeyReceived += (_, e) =>
        {
            presented = "SHA256:" + e.FingerPrintSHA256;
            e.CanTrust = string.Equals(e.HostKeyName, _facts.HostKeyAlgorithm, StringComparison.Ordinal)
                && string.Equals(presented, _facts.HostKey.TrimEnd('='), StringComparison.Ordinal);
        };

        try
        {
            await client.ConnectAsync(cancellationToken);
        }
        catch (SshConnectionException e) when (presented is not null && presented != _facts.HostKey.TrimEnd('='))
        {
            throw new BenchException($"host key of {_facts.SshHost}:{_facts.SshPort} is {presented}, not the pinned {_facts.HostKey}", e);
        }

        TimeSpan connected = Stopwatch.GetElapsedTime(started);

        using SshCommand command = client.CreateCommand(Command);
        command.CommandTimeout = CommandTimeout;
        await command.ExecuteAsync(cancellationToken);
        TimeSpan commandDone = Stopwatch.GetElapsedTime(started);
        if (command.ExitStatus != 0)
        {
            throw new BenchException($"`{Command}` exited {command.ExitStatus?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "by signal " + command.ExitSignal}: {command.Result.Trim()} {command.Error.Trim()}");
        }

        int probes = await _health.WaitUntilHealthyAsync(PollInterval, HealthDeadline, cancellationToken);
        TimeSpan total = Stopwatch.GetElapsedTime(started);

        client.Disconnect();
        return new RawSample
        {
            // 0.1 ms steps everywhere, so per-run figures and the medians derived from them round alike.
            TotalMs = Math.Round(total.TotalMilliseconds, 1),
            ConnectMs = Math.Round(connected.TotalMilliseconds, 1),
            RestartCommandMs = Math.Round((commandDone - connected).TotalMilliseconds, 1),
            HealthWaitMs = Math.Round((total - commandDone).TotalMilliseconds, 1),
            HealthProbes = probes,
            CommandOutput = (command.Result + command.Error).Trim(),
        };
    }

    private void PinHostKeyAlgorithm(ConnectionInfo connectionInfo)
    {
        // Offer only the pinned key type, so the server presents exactly the key whose fingerprint is pinned.
        if (!connectionInfo.HostKeyAlgorithms.TryGetValue(_facts.HostKeyAlgorithm, out var factory))
        {
            throw new BenchException($"SSH.NET does not support the pinned host key algorithm {_facts.HostKeyAlgorithm}");
        }

        connectionInfo.HostKeyAlgorithms.Clear();
        connectionInfo.HostKeyAlgorithms.Add(_facts.HostKeyAlgorithm, factory);
    }
}
