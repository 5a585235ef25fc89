using System.Globalization;
using System.Text;
using Remediation.Inventory;
using Remediation.Ssh;

namespace Remediation.Tests.Procedures;

/// <summary>
/// A supervisor-managed Odoo host (programs postgresql, odoo, nginx) behind an <see cref="ISshConnector"/>: its sessions
/// interpret the product's real command lines — supervisorctl status/start/stop/restart/signal, pgrep, pkill, wc, tail,
/// ss, nginx -t — against an in-memory model, answering in the real tools' formats and exit codes. Each program's
/// readiness is a real loopback port, open only while it answers, so the real readiness watch measures real downtime.
/// Every state-changing command and every port opening or closing is recorded in order.
/// </summary>
internal sealed class SimulatedTarget : ISshConnector, IAsyncDisposable
{
    public const string Name = "demo";
    public const string OdooLog = "/var/log/odoo/odoo-server.log";
    public const string PostgresqlLog = "/var/log/postgresql/postgresql-16-main.log";
    public const string NginxLog = "/var/log/nginx/error.log";
    public const string SupervisordLog = "/var/log/supervisor/supervisord.log";

    private const string Supervisorctl = "/usr/bin/supervisorctl";
    private static readonly TimeSpan WorkerReplaceDelay = TimeSpan.FromMilliseconds(50);

    private readonly object _gate = new();
    private readonly Dictionary<string, DateTime> _directories = new(StringComparer.Ordinal);   // what mkdir made and rmdir left (restart claims)
    private readonly TimeProvider _time;
    private readonly string _keyFile;
    private readonly Dictionary<string, StringBuilder> _logs = new(StringComparer.Ordinal);
    private readonly List<string> _commands = [];
    private readonly List<(DateTime AtUtc, string What)> _events = [];
    private readonly Queue<Exception> _connectFaults = new();
    private readonly HashSet<string> _loseConnectionAfter = new(StringComparer.Ordinal);
    private readonly HashSet<string> _loseConnectionMidRestart = new(StringComparer.Ordinal);

    // Completed when a program's current process exits; what a waiting "supervisorctl stop" waits for.
    private readonly Dictionary<SimulatedProgram, TaskCompletionSource> _exited = [];
    private int _nextPid = 2000;
    private int _connects;

    /// <param name="stepTimeoutSeconds">
    /// Every service's graceful and readiness timeouts. Far above the programs' own stop and start (250 ms) so a busy
    /// test run never times a healthy restart out; a test that needs the timeout to expire passes 1.
    /// </param>
    public SimulatedTarget(TimeProvider? time = null, string name = Name, int stepTimeoutSeconds = 5)
    {
        TargetName = name;
        StepTimeoutSeconds = stepTimeoutSeconds;
        _time = time ?? TimeProvider.System;
        _keyFile = Path.GetTempFileName();
        Postgresql = new SimulatedProgram("postgresql", "postgres", "postgres", "/usr/lib/postgresql/16/bin/postgres -D /var/lib/postgresql/16/main") { LogFile = PostgresqlLog };
        Odoo = new SimulatedProgram("odoo", "odoo", "odoo-bin", "/usr/bin/python3 /opt/odoo/odoo-bin -c /etc/odoo/odoo.conf") { LogFile = OdooLog };
        Nginx = new SimulatedProgram("nginx", "root", "nginx", "nginx: master process /usr/sbin/nginx -g daemon off;") { WorkerUser = "www-data", WorkerCount = 2, LogFile = NginxLog };
        Programs = [Postgresql, Odoo, Nginx];

        DateTime bootedAt = Now.AddHours(-1);
        _logs[SupervisordLog] = new StringBuilder();
        foreach (SimulatedProgram program in Programs)
        {
            _logs[program.LogFile!] = new StringBuilder();
            AppendLog(program.LogFile!, $"{bootedAt:yyyy-MM-dd HH:mm:ss},000 1 INFO ? {program.Name}: started");
            program.Pid = NextPid();
            SupervisordSays($"spawned: '{program.Name}' with pid {program.Pid}", bootedAt);
            program.State = "RUNNING";
            program.StateSinceUtc = bootedAt;
            program.OpenPort();
            SpawnWorkers(program);
        }

        Inventory = InventoryLoader.Parse(InventoryJson(), "simulated target");
    }

    /// <summary>Each service's graceful and readiness timeout in the inventory.</summary>
    public int StepTimeoutSeconds { get; }

    /// <summary>This host's name in its inventory ("demo" unless a fleet test names its hosts).</summary>
    public string TargetName { get; }

    public SimulatedProgram Postgresql { get; }
    public SimulatedProgram Odoo { get; }
    public SimulatedProgram Nginx { get; }
    public IReadOnlyList<SimulatedProgram> Programs { get; }

    /// <summary>The inventory the activities resolve the target from: TCP readiness on the programs' ports, no database.</summary>
    public Remediation.Inventory.Inventory Inventory { get; }

    public TargetDefinition Target => Inventory.GetTarget(TargetName);

    /// <summary>The target's local zone: supervisord logs local time, <c>date --rfc-3339=ns</c> prints it with this offset.</summary>
    public static readonly TimeSpan UtcOffset = TimeSpan.FromHours(1);

    /// <summary>Every connection attempt refuses the pinned host key.</summary>
    public bool HostKeyMismatch { get; set; }

    /// <summary><c>nginx -t</c> reports this configuration error (and exits 1) when set.</summary>
    public string? NginxConfigError { get; set; }

    public int Connects
    {
        get
        {
            lock (_gate)
            {
                return _connects;
            }
        }
    }

    /// <summary>Every command line sent, in order.</summary>
    public IReadOnlyList<string> Commands
    {
        get
        {
            lock (_gate)
            {
                return [.. _commands];
            }
        }
    }

    /// <summary>State changes ("stop nginx", "restart postgresql", "signal HUP nginx", "kill odoo-bin of odoo") and port events ("odoo answers", "odoo stops answering"), in order.</summary>
    public IReadOnlyList<string> Events
    {
        get
        {
            lock (_gate)
            {
                return [.. _events.Select(e => e.What)];
            }
        }
    }

    /// <summary><see cref="Events"/> with the time (UTC) each happened.</summary>
    /// <summary>The directories mkdir made and rmdir has not removed (restart claims).</summary>
    public IReadOnlyList<string> Directories
    {
        get
        {
            lock (_gate)
            {
                return [.. _directories.Keys];
            }
        }
    }

    public IReadOnlyList<(DateTime AtUtc, string What)> EventTimes
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>Only the state-changing commands, in order.</summary>
    public IReadOnlyList<string> Changes => [.. Events.Where(e => !e.Contains(" answers", StringComparison.Ordinal) && !e.Contains(" stops answering", StringComparison.Ordinal) && !e.Contains(" exited", StringComparison.Ordinal))];

    private DateTime Now => _time.GetUtcNow().UtcDateTime;

    /// <summary>The next connection attempt throws <paramref name="fault"/> (each call queues one more).</summary>
    public void FailNextConnect(Exception fault)
    {
        lock (_gate)
        {
            _connectFaults.Enqueue(fault);
        }
    }

    /// <summary>The next time <paramref name="command"/> runs, it runs on the target but its session is lost before the answer comes back.</summary>
    public void LoseConnectionAfter(string command)
    {
        lock (_gate)
        {
            _loseConnectionAfter.Add(command);
        }
    }

    /// <summary>
    /// The next <c>supervisorctl restart</c> of <paramref name="program"/> loses its session between its stop and its
    /// start: supervisorctl dies with the connection, so the program is left stopped and the command's caller gets the
    /// connection error while the service is down.
    /// </summary>
    public void LoseConnectionMidRestart(string program)
    {
        lock (_gate)
        {
            _loseConnectionMidRestart.Add(program);
        }
    }

    public void AppendLog(string path, string line)
    {
        lock (_gate)
        {
            _logs[path].Append(line).Append('\n');
        }
    }

    public long LogLength(string path)
    {
        lock (_gate)
        {
            return Encoding.UTF8.GetByteCount(_logs[path].ToString());
        }
    }

    /// <summary>The program's process dies (supervisor reports EXITED) and its port closes.</summary>
    public void Crash(SimulatedProgram program)
    {
        lock (_gate)
        {
            Exit(program, "EXITED");
        }
    }

    public Task<ISshSession> ConnectAsync(TargetDefinition target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        lock (_gate)
        {
            _connects++;
            if (target.Name != TargetName)
            {
                throw new SshUnreachableException($"{target.Describe()}: no such simulated host");
            }

            if (HostKeyMismatch)
            {
                throw new HostKeyMismatchException(
                    $"Host key for {target.Describe()} is SHA256:{new string('B', 43)} (ssh-ed25519), not the pinned {target.HostKey} — refusing to connect. If the host was rebuilt, verify the new key out of band and update the inventory.");
            }

            if (_connectFaults.TryDequeue(out Exception? fault))
            {
                throw fault;
            }
        }

        return Task.FromResult<ISshSession>(new Session(this, target));
    }

    public ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            foreach (SimulatedProgram program in Programs)
            {
                program.ClosePort();
            }
        }

        File.Delete(_keyFile);
        return ValueTask.CompletedTask;
    }

    private async Task<CommandResult> RunAsync(TargetDefinition target, RemoteCommand command, TimeSpan timeout)
    {
        string text = command.ToString();
        lock (_gate)
        {
            _commands.Add(text);
        }

        long started = _time.GetTimestamp();
        CommandResult result = await ExecuteAsync(command, text, timeout);
        result = result with { DurationMs = (long)_time.GetElapsedTime(started).TotalMilliseconds };
        lock (_gate)
        {
            if (_loseConnectionAfter.Remove(text))
            {
                throw new SshUnreachableException(
                    $"SSH connection to {target.Describe()} was lost while running `{text}`; it may or may not have run to completion. The next command reconnects.");
            }
        }

        return result;
    }

    private async Task<CommandResult> ExecuteAsync(RemoteCommand command, string text, TimeSpan timeout)
    {
        string[] args = [.. command.Arguments];
        switch (command.Executable, command.Sudo, args)
        {
            case (Supervisorctl, true, ["status", "all"]):
                lock (_gate)
                {
                    // supervisorctl: exit 3 when any listed program is not running, 0 otherwise.
                    (string Line, int Exit)[] rows = [.. Programs.Select(p => p.StatusLine(Now))];
                    return Result(text, rows.Any(r => r.Exit != 0) ? 3 : 0, string.Join("", rows.Select(r => r.Line + "\n")));
                }

            case (Supervisorctl, true, ["status", var name]):
                lock (_gate)
                {
                    if (Find(name) is not { } program)
                    {
                        return Result(text, 4, $"{name}: ERROR (no such process)\n");
                    }

                    (string line, int exit) = program.StatusLine(Now);
                    return Result(text, exit, line + "\n");
                }

            case (Supervisorctl, true, [var verb, var name]) when verb is "start" or "stop" or "restart":
                if (Find(name) is not { } target)
                {
                    return Result(text, 1, $"{name}: ERROR (no such process)\n");
                }

                Record($"{verb} {name}");
                if (verb == "restart" && TakeMidRestartLoss(name))
                {
                    await StopAsync(target, CancellationToken.None);
                    throw new SshUnreachableException(
                        $"SSH connection to {Target.Describe()} was lost while running `{text}`; it may or may not have run to completion. The next command reconnects.");
                }

                return await WithTimeoutAsync(text, timeout, verb switch
                {
                    "start" => ct => StartAsync(target, ct),
                    "stop" => ct => StopAsync(target, ct),
                    _ => ct => RestartAsync(target, ct),
                });

            case (Supervisorctl, true, ["signal", "HUP", var name]):
                Record($"signal HUP {name}");
                return Signal(text, Find(name));

            case ("/usr/bin/pgrep", false, ["-a", "-u", var user, "-f", var pattern]):
                lock (_gate)
                {
                    string[] rows = [.. Programs.SelectMany(p => p.Processes(user, pattern)).Select(p => p.Row)];
                    return rows.Length == 0 ? Result(text, 1, "") : Result(text, 0, string.Join('\n', rows) + "\n");
                }

            case ("/usr/bin/pkill", true, ["-KILL", "-u", var user, "-f", var pattern]):
                return Kill(text, user, pattern);

            case ("/usr/bin/wc", false, ["-c", var path]):
                lock (_gate)
                {
                    return _logs.TryGetValue(path, out StringBuilder? log)
                        ? Result(text, 0, $"{Encoding.UTF8.GetByteCount(log.ToString())} {path}\n")
                        : Result(text, 1, "", $"wc: {path}: No such file or directory\n");
                }

            case ("/usr/bin/tail", false, ["-n", var count, var path]) when int.TryParse(count, out int lines):
                lock (_gate)
                {
                    if (!_logs.TryGetValue(path, out StringBuilder? log))
                    {
                        return Result(text, 1, "", $"tail: cannot open '{path}' for reading: No such file or directory\n");
                    }

                    string[] all = log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
                    return Result(text, 0, string.Concat(all.Skip(Math.Max(0, all.Length - lines)).Select(l => l + "\n")));
                }

            case ("/usr/bin/tail", false, ["-c", var from, var path]) when from.StartsWith('+'):
                lock (_gate)
                {
                    if (!_logs.TryGetValue(path, out StringBuilder? log))
                    {
                        return Result(text, 1, "", $"tail: cannot open '{path}' for reading: No such file or directory\n");
                    }

                    byte[] bytes = Encoding.UTF8.GetBytes(log.ToString());
                    int offset = Math.Min(bytes.Length, Math.Max(0, int.Parse(from[1..], CultureInfo.InvariantCulture) - 1));
                    return Result(text, 0, Encoding.UTF8.GetString(bytes, offset, bytes.Length - offset));
                }

            case ("/usr/bin/ss", false, ["-ltnH"]):
                lock (_gate)
                {
                    IEnumerable<string> rows = Programs.Where(p => p.Listening).Select(p => $"LISTEN 0      4096       127.0.0.1:{p.Port}      0.0.0.0:*")
                        .Prepend("LISTEN 0      128          0.0.0.0:22        0.0.0.0:*");
                    return Result(text, 0, string.Join('\n', rows) + "\n");
                }

            case ("/bin/mkdir", false, [var path]):
                lock (_gate)
                {
                    return _directories.TryAdd(path, Now)
                        ? Result(text, 0, "")
                        : Result(text, 1, "", $"/bin/mkdir: cannot create directory '{path}': File exists\n");
                }

            case ("/bin/rmdir", false, ["--ignore-fail-on-non-empty", var path]):
                lock (_gate)
                {
                    return _directories.Remove(path)
                        ? Result(text, 0, "")
                        : Result(text, 1, "", $"/bin/rmdir: failed to remove '{path}': No such file or directory\n");
                }

            case ("/usr/bin/date", false, ["-r", var path, "--rfc-3339=ns"]):
                lock (_gate)
                {
                    return _directories.TryGetValue(path, out DateTime made)
                        ? Result(text, 0, new DateTimeOffset(made).ToOffset(UtcOffset).ToString("yyyy-MM-dd HH:mm:ss.fffffff00zzz", CultureInfo.InvariantCulture) + "\n")
                        : Result(text, 1, "", $"/usr/bin/date: {path}: No such file or directory\n");
                }

            case ("/usr/bin/date", false, ["--rfc-3339=ns"]):
                return Result(text, 0, new DateTimeOffset(Now).ToOffset(UtcOffset).ToString("yyyy-MM-dd HH:mm:ss.fffffff00zzz", CultureInfo.InvariantCulture) + "\n");

            case ("/usr/sbin/nginx", true, ["-t"]):
                return NginxConfigError is { } error
                    ? Result(text, 1, "", $"nginx: [emerg] {error}\nnginx: configuration file /etc/nginx/nginx.conf test failed\n")
                    : Result(text, 0, "", "nginx: the configuration file /etc/nginx/nginx.conf syntax is ok\nnginx: configuration file /etc/nginx/nginx.conf test is successful\n");

            default:
                throw new InvalidOperationException($"The simulated target does not know `{text}`.");
        }
    }

    /// <summary>
    /// Runs a supervisorctl client call; past <paramref name="timeout"/> the client is gone (SSH.NET closes the channel)
    /// and the result is "timed out", while what supervisord already started goes on.
    /// </summary>
    private async Task<CommandResult> WithTimeoutAsync(string text, TimeSpan timeout, Func<CancellationToken, Task<(int ExitCode, string Stdout)>> client)
    {
        using var gone = new CancellationTokenSource();
        Task<(int ExitCode, string Stdout)> work = client(gone.Token);
        if (await Task.WhenAny(work, Task.Delay(timeout, _time)) != work)
        {
            await gone.CancelAsync();
            return new CommandResult { Command = text, TimedOut = true };
        }

        (int exit, string stdout) = await work;
        return Result(text, exit, stdout);
    }

    private async Task<(int ExitCode, string Stdout)> RestartAsync(SimulatedProgram program, CancellationToken gone)
    {
        (_, string stopped) = await StopAsync(program, gone);
        if (gone.IsCancellationRequested)
        {
            return (-1, "");
        }

        (int exit, string started) = await StartAsync(program, gone);
        return (exit, stopped + started);
    }

    private async Task<(int ExitCode, string Stdout)> StopAsync(SimulatedProgram program, CancellationToken gone)
    {
        Task exited;
        lock (_gate)
        {
            if (program.State is not ("RUNNING" or "STARTING" or "BACKOFF"))
            {
                // NOT_RUNNING is an ignored fault for stop: exit 0.
                return (0, $"{program.Name}: ERROR (not running)\n");
            }

            program.State = "STOPPING";
            program.StateSinceUtc = Now;
            SupervisordSays($"waiting for {program.Name} to stop");
            exited = ExitedOf(program).Task;
            if (!program.IgnoresSigterm)
            {
                ClosePort(program);
                _ = ExitAfterAsync(program, program.Pid, program.StopDuration);
            }
        }

        try
        {
            await exited.WaitAsync(gone);
        }
        catch (OperationCanceledException)
        {
            return (-1, "");
        }

        return (0, $"{program.Name}: stopped\n");
    }

    private async Task<(int ExitCode, string Stdout)> StartAsync(SimulatedProgram program, CancellationToken gone)
    {
        int pid;
        lock (_gate)
        {
            if (program.State is "RUNNING" or "STARTING" or "BACKOFF")
            {
                return (0, $"{program.Name}: ERROR (already started)\n");
            }

            if (program.HasProcess)
            {
                // supervisord refuses to spawn while the old process is still there (STOPPING, SIGTERM ignored).
                return (1, $"{program.Name}: ERROR (spawn error)\n");
            }

            pid = NextPid();
            program.Pid = pid;
            SupervisordSays($"spawned: '{program.Name}' with pid {pid}");
            program.State = "STARTING";
            program.StateSinceUtc = Now;
            _exited[program] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        // supervisord goes on starting the program even when the client is gone.
        Task<bool> starting = FinishStartAsync(program, pid);
        try
        {
            return await starting.WaitAsync(gone) ? (0, $"{program.Name}: started\n") : (1, $"{program.Name}: ERROR (spawn error)\n");
        }
        catch (OperationCanceledException)
        {
            return (-1, "");
        }
    }

    private async Task<bool> FinishStartAsync(SimulatedProgram program, int pid)
    {
        await Task.Delay(program.StartDuration, _time);
        lock (_gate)
        {
            if (program.Pid != pid)
            {
                return false;
            }

            if (program.FailingStarts > 0)
            {
                program.FailingStarts--;
                Exit(program, "FATAL");
                return false;
            }

            program.State = "RUNNING";
            program.StateSinceUtc = Now;
            SupervisordSays($"success: {program.Name} entered RUNNING state, process has stayed up for > than 1 seconds (startsecs)");
            SpawnWorkers(program);
            if (!program.NeverListens)
            {
                program.OpenPort();
                _events.Add((Now, $"{program.Name} answers"));
                if (program == Odoo)
                {
                    // Odoo's own line once it listens (odoo.service.server, in UTC: Odoo sets TZ=UTC for itself).
                    _logs[OdooLog].Append(CultureInfo.InvariantCulture, $"{Now:yyyy-MM-dd HH:mm:ss,fff} {pid} INFO ? odoo.service.server: HTTP service (werkzeug) running on 127.0.0.1:{program.Port}\n");
                }
            }

            foreach (string line in program.LinesOnStart)
            {
                _logs[program.LogFile!].Append(line).Append('\n');
            }

            return true;
        }
    }

    private async Task ExitAfterAsync(SimulatedProgram program, int? pid, TimeSpan after)
    {
        await Task.Delay(after, _time);
        lock (_gate)
        {
            if (program.Pid == pid)
            {
                Exit(program, "STOPPED");
            }
        }
    }

    private CommandResult Signal(string text, SimulatedProgram? program)
    {
        lock (_gate)
        {
            if (program is null)
            {
                return Result(text, 1, "?: ERROR (no such process)\n");
            }

            if (program.State != "RUNNING")
            {
                return Result(text, 1, $"{program.Name}: ERROR (not running)\n");
            }

            // nginx re-reads its configuration: new workers start, the old ones finish their requests and exit.
            int? master = program.Pid;
            _ = ReplaceWorkersAsync(program, master);
            return Result(text, 0, $"{program.Name}: signalled\n");
        }
    }

    private async Task ReplaceWorkersAsync(SimulatedProgram program, int? master)
    {
        await Task.Delay(WorkerReplaceDelay, _time);
        lock (_gate)
        {
            if (program.Pid == master)
            {
                program.Workers.Clear();
                SpawnWorkers(program);
            }
        }
    }

    private CommandResult Kill(string text, string user, string pattern)
    {
        lock (_gate)
        {
            bool any = false;
            foreach (SimulatedProgram program in Programs)
            {
                List<int> pids = [.. program.Processes(user, pattern).Select(p => p.Pid)];
                if (pids.Count == 0)
                {
                    continue;
                }

                any = true;
                program.Workers.RemoveAll(pids.Contains);
                if (program.Pid is { } main && pids.Contains(main))
                {
                    // A process killed while supervisor stops it counts as stopped; otherwise it "exited unexpectedly".
                    Exit(program, program.State == "STOPPING" ? "STOPPED" : "EXITED");
                }
            }

            if (any)
            {
                _events.Add((Now, $"kill {pattern} of {user}"));
            }

            return Result(text, any ? 0 : 1, "");
        }
    }

    private TaskCompletionSource ExitedOf(SimulatedProgram program)
    {
        if (!_exited.TryGetValue(program, out TaskCompletionSource? exited))
        {
            exited = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _exited[program] = exited;
        }

        return exited;
    }

    // Under the lock.
    private void Exit(SimulatedProgram program, string state)
    {
        if (program.Pid is null)
        {
            return;
        }

        program.Pid = null;
        program.Workers.Clear();
        ClosePort(program);
        program.State = state;
        program.StateSinceUtc = Now;
        SupervisordSays(state switch
        {
            "STOPPED" => $"stopped: {program.Name} (terminated by SIGTERM)",
            "FATAL" => $"exited: {program.Name} (exit status 1; not expected)",
            _ => $"exited: {program.Name} (terminated by SIGKILL; not expected)",
        });
        _events.Add((Now, $"{program.Name} exited"));
        ExitedOf(program).TrySetResult();
        _exited.Remove(program);
    }

    // Under the lock (or in the constructor): supervisord's main log, in the target's local time with milliseconds.
    private void SupervisordSays(string message, DateTime? atUtc = null) =>
        _logs[SupervisordLog].Append(CultureInfo.InvariantCulture, $"{(atUtc ?? Now) + UtcOffset:yyyy-MM-dd HH:mm:ss,fff} INFO {message}\n");

    private void ClosePort(SimulatedProgram program)
    {
        if (program.Listening && !program.AnswersThroughRestart)
        {
            program.ClosePort();
            _events.Add((Now, $"{program.Name} stops answering"));
        }
    }

    private void SpawnWorkers(SimulatedProgram program)
    {
        for (int i = 0; i < program.WorkerCount; i++)
        {
            program.Workers.Add(NextPid());
        }
    }

    private void Record(string change)
    {
        lock (_gate)
        {
            _events.Add((Now, change));
        }
    }

    private bool TakeMidRestartLoss(string program)
    {
        lock (_gate)
        {
            return _loseConnectionMidRestart.Remove(program);
        }
    }

    private SimulatedProgram? Find(string name) => Programs.FirstOrDefault(p => p.Name == name);

    private int NextPid() => Interlocked.Increment(ref _nextPid);

    private static CommandResult Result(string text, int exitCode, string stdout, string stderr = "") =>
        new() { Command = text, ExitCode = exitCode, Stdout = stdout, Stderr = stderr };

    private string InventoryJson() => $$"""
        {
          "targets": [{
            "name": "{{TargetName}}", "address": "127.0.0.1", "sshPort": 2222, "sshUser": "ops",
            "hostKey": "SHA256:{{new string('A', 43)}}", "hostKeyAlgorithm": "ssh-ed25519",
            "privateKeyFile": "{{_keyFile}}",
            "serviceManager": "supervisor",
            "services": [
              { "name": "postgresql", "kind": "postgresql", "readiness": { "tcp": "127.0.0.1:{{Postgresql.Port}}", "timeoutMs": 500 },
                "logFiles": ["{{PostgresqlLog}}"], "processUser": "postgres", "processPattern": "postgres",
                "gracefulTimeoutSeconds": {{StepTimeoutSeconds}}, "readinessTimeoutSeconds": {{StepTimeoutSeconds}} },
              { "name": "odoo", "kind": "odoo", "dependsOn": ["postgresql"], "readiness": { "tcp": "127.0.0.1:{{Odoo.Port}}", "timeoutMs": 500 },
                "logFiles": ["{{OdooLog}}"], "processUser": "odoo", "processPattern": "odoo-bin",
                "gracefulTimeoutSeconds": {{StepTimeoutSeconds}}, "readinessTimeoutSeconds": {{StepTimeoutSeconds}} },
              { "name": "nginx", "kind": "nginx", "dependsOn": ["odoo"], "readiness": { "tcp": "127.0.0.1:{{Nginx.Port}}", "timeoutMs": 500 },
                "logFiles": ["{{NginxLog}}"], "processUser": "www-data", "processPattern": "nginx",
                "configTest": true, "canReload": true, "gracefulTimeoutSeconds": {{StepTimeoutSeconds}}, "readinessTimeoutSeconds": {{StepTimeoutSeconds}} }
            ]
          }]
        }
        """;

    /// <summary>One SSH session: commands run against the simulated host; nothing is shared between sessions but the host.</summary>
    private sealed class Session : ISshSession
    {
        private readonly SimulatedTarget _host;
        private readonly TargetDefinition _target;

        public Session(SimulatedTarget host, TargetDefinition target)
        {
            _host = host;
            _target = target;
        }

        public Task<CommandResult> RunAsync(RemoteCommand command, TimeSpan timeout, CancellationToken cancellationToken) =>
            _host.RunAsync(_target, command, timeout);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
