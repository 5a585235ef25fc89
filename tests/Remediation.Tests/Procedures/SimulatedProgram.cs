using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Remediation.Tests.Procedures;

/// <summary>
/// One supervisor program of a <see cref="SimulatedTarget"/>: its state as supervisorctl reports it, its processes as
/// pgrep lists them, and a real loopback listener that is open only while the program answers — so the product's own
/// TCP readiness probe sees the outage. Behaviours (slow stops, SIGTERM ignored, failing starts) are set by tests.
/// All members are used under the target's lock.
/// </summary>
internal sealed class SimulatedProgram
{
    private TcpListener? _listener;

    public SimulatedProgram(string name, string user, string pattern, string commandLine)
    {
        Name = name;
        User = user;
        Pattern = pattern;
        CommandLine = commandLine;

        // The port is chosen once and kept (the inventory's readiness probe names it); the program boots listening.
        _listener = Listen(0);
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
    }

    public string Name { get; }

    /// <summary>The user the program's processes run as (pgrep/pkill -u).</summary>
    public string User { get; }

    /// <summary>What its command line contains (pgrep/pkill -f).</summary>
    public string Pattern { get; }

    public string CommandLine { get; }

    public int Port { get; }

    /// <summary>supervisorctl's state word: RUNNING, STARTING, STOPPING, STOPPED, EXITED, FATAL.</summary>
    public string State { get; set; } = "STOPPED";

    /// <summary>The main process while it exists (also while STOPPING or left over after a timed-out stop).</summary>
    public int? Pid { get; set; }

    public DateTime StateSinceUtc { get; set; }

    /// <summary>nginx's worker processes (run as <see cref="WorkerUser"/>); empty for other programs.</summary>
    public List<int> Workers { get; } = [];

    /// <summary>When set, the main process runs as root and its workers as this user (nginx).</summary>
    public string? WorkerUser { get; init; }

    public int WorkerCount { get; init; }

    public bool Listening => _listener is not null;

    // --- behaviours scripted by tests ---

    /// <summary>How long the program takes to exit after SIGTERM.</summary>
    public TimeSpan StopDuration { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How long it takes from spawn until it answers (and supervisor says RUNNING).</summary>
    public TimeSpan StartDuration { get; set; } = TimeSpan.FromMilliseconds(150);

    /// <summary>The process ignores SIGTERM: stop and restart hang (and keep serving) until pkill -KILL removes it.</summary>
    public bool IgnoresSigterm { get; set; }

    /// <summary>This many next starts end FATAL ("Exited too quickly").</summary>
    public int FailingStarts { get; set; }

    /// <summary>It starts (supervisor says RUNNING) but never opens its port.</summary>
    public bool NeverListens { get; set; }

    /// <summary>Its port answers throughout a restart, as when a restart is faster than the probes: no probe sees it down.</summary>
    public bool AnswersThroughRestart { get; set; }

    /// <summary>Lines the program writes to <see cref="LogFile"/> each time it has started.</summary>
    public List<string> LinesOnStart { get; } = [];

    public string? LogFile { get; init; }

    public bool HasProcess => Pid is not null;

    /// <summary>The "pid command line" rows pgrep -a would print for <paramref name="user"/> and <paramref name="pattern"/>.</summary>
    public IEnumerable<(int Pid, string Row)> Processes(string user, string pattern)
    {
        if (Pid is { } pid)
        {
            string mainUser = WorkerUser is null ? User : "root";
            if (mainUser == user && CommandLine.Contains(pattern, StringComparison.Ordinal))
            {
                yield return (pid, $"{pid} {CommandLine}");
            }
        }

        if (WorkerUser == user && "nginx: worker process".Contains(pattern, StringComparison.Ordinal))
        {
            foreach (int worker in Workers)
            {
                yield return (worker, $"{worker} nginx: worker process");
            }
        }
    }

    /// <summary>The line of <c>supervisorctl status</c> and its exit code.</summary>
    public (string Line, int ExitCode) StatusLine(DateTime now)
    {
        string detail = State switch
        {
            "RUNNING" => $"pid {Pid}, uptime {Uptime(now - StateSinceUtc)}",
            "STOPPED" or "EXITED" => StateSinceUtc.ToString("MMM dd hh:mm tt", CultureInfo.InvariantCulture),
            "FATAL" => "Exited too quickly (process log may have details)",
            _ => "",
        };

        // supervisorctl's template: "%(name)-32s %(state)-10s%(desc)s"; exit 3 for every state but the running ones.
        string line = $"{Name,-32} {State,-10}{detail}".TrimEnd();
        return (line, State is "RUNNING" or "STARTING" or "BACKOFF" ? 0 : 3);
    }

    public void OpenPort()
    {
        if (_listener is null && !NeverListens)
        {
            _listener = Listen(Port);
        }
    }

    public void ClosePort()
    {
        _listener?.Stop();
        _listener = null;
    }

    private static TcpListener Listen(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);

        // The same port is bound again after every stop; connections the probe closed may still be in TIME_WAIT.
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        _ = AcceptAsync(listener);
        return listener;
    }

    // Accepts and drops every connection, so the backlog never fills during a long watch.
    private static async Task AcceptAsync(TcpListener listener)
    {
        while (true)
        {
            try
            {
                using Socket accepted = await listener.AcceptSocketAsync();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
        }
    }

    private static string Uptime(TimeSpan up) =>
        string.Create(CultureInfo.InvariantCulture, $"{(int)up.TotalHours}:{up.Minutes:00}:{up.Seconds:00}");
}
