using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Npgsql;
using Xunit;

namespace Remediation.Tests.Fixture;

/// <summary>
/// The real target host on 127.0.0.1 (sshd :2222, supervisor with PostgreSQL :5432, the Odoo stand-in :8069 and
/// nginx :8080, Azurite), brought up by <c>tests/fixture/up.sh</c>. Use it through <see cref="TargetHostCollection"/>.
/// <see cref="DisposeAsync"/> runs <c>tests/fixture/down.sh</c> only when this test run's up.sh started something and
/// no other test process is still using the fixture (each holds a shared flock on <c>users.lock</c>); a fixture that
/// was already running is left running. Set REMEDIATION_FIXTURE_KEEP=1 to never stop it.
/// </summary>
public sealed partial class TargetHostFixture : IAsyncLifetime, IDisposable
{
    public const string StateDirectory = "/var/lib/remediation-fixture";
    public const string SupervisorCtl = "/usr/bin/supervisorctl";

    /// <summary>The supervisor programs, in dependency order.</summary>
    public static readonly IReadOnlyList<string> Programs = ["postgresql", "odoo", "nginx"];

    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.Zero })
    {
        Timeout = TimeSpan.FromSeconds(5),
    };

    private FixtureFacts? _facts;
    private bool _startedByThisRun;
    private FileStream? _usersLock;

    public string RepositoryRoot { get; } = FindRepositoryRoot();

    public FixtureFacts Facts => _facts ?? throw new InvalidOperationException("TargetHostFixture is not initialized (use it as a collection fixture).");

    /// <summary>What up.sh printed, for diagnostics.</summary>
    public string UpOutput { get; private set; } = "";

    /// <summary>A client for tests; does not follow redirects, 5 s timeout.</summary>
    public HttpClient Http => _http;

    public async Task InitializeAsync()
    {
        if (!string.Equals(Environment.UserName, "root", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"End-to-end tests start real daemons and need root; running as '{Environment.UserName}'.");
        }

        _usersLock = await AcquireUsersLockAsync(FileShare.ReadWrite, TimeSpan.FromMinutes(3))
            ?? throw new TimeoutException($"{UsersLockFile} stayed locked for 3 min: another process is stopping the fixture");

        string up = Path.Combine(RepositoryRoot, "tests", "fixture", "up.sh");
        LocalCommandResult result = await LocalCommand.RunAsync("/bin/bash", [up], ScriptTimeout);
        UpOutput = result.Output;
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{up} exited with {result.ExitCode}:{Environment.NewLine}{result.StandardError}{result.StandardOutput}");
        }

        Match summary = UpSummary().Match(result.StandardOutput);
        _startedByThisRun = summary.Success && !string.Equals(summary.Groups["started"].Value, "none", StringComparison.Ordinal);
        _facts = FixtureFacts.Load(Path.Combine(StateDirectory, "fixture.env"));
    }

    private static string UsersLockFile => Path.Combine(StateDirectory, "users.lock");

    public void Dispose()
    {
        _http.Dispose();
        _usersLock?.Dispose();
    }

    public async Task DisposeAsync()
    {
        if (_facts is null)
        {
            return;
        }

        ClearKnobs();
        await (_usersLock?.DisposeAsync() ?? ValueTask.CompletedTask);
        _usersLock = null;
        if (!_startedByThisRun || Environment.GetEnvironmentVariable("REMEDIATION_FIXTURE_KEEP") == "1")
        {
            return;
        }

        // Exclusive and non-blocking: if another test process still holds its shared lock, leave the fixture up.
        await using FileStream? exclusive = await AcquireUsersLockAsync(FileShare.None, TimeSpan.Zero);
        if (exclusive is null)
        {
            return;
        }

        string down = Path.Combine(RepositoryRoot, "tests", "fixture", "down.sh");
        LocalCommandResult result = await LocalCommand.RunAsync("/bin/bash", [down], ScriptTimeout);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{down} exited with {result.ExitCode}:{Environment.NewLine}{result.Output}");
        }
    }

    /// <summary>
    /// Opens users.lock with .NET's advisory flock: FileShare.None takes LOCK_EX, anything else LOCK_SH (read access),
    /// both non-blocking. Returns null when the lock is still taken after <paramref name="timeout"/>.
    /// </summary>
    private static async Task<FileStream?> AcquireUsersLockAsync(FileShare share, TimeSpan timeout)
    {
        Directory.CreateDirectory(StateDirectory);
        if (!File.Exists(UsersLockFile))
        {
            await File.WriteAllTextAsync(UsersLockFile, "");
        }

        DateTime deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                return new FileStream(UsersLockFile, FileMode.Open, FileAccess.Read, share);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
            catch (IOException)
            {
                return null;
            }
        }
    }

    // ------------------------------------------------------------------ knobs

    /// <summary>
    /// Creates a test knob of the Odoo stand-in: slow-start (seconds), refuse-start, error-lines (N),
    /// ignore-sigterm, health-fail. Each is read at the moment it matters, so it acts on a running process.
    /// </summary>
    public void SetKnob(string name, string content = "") => Supervisor.SetKnob(name, content);

    public void ClearKnob(string name) => Supervisor.ClearKnob(name);

    /// <summary>Clears the knobs of both targets.</summary>
    public void ClearKnobs()
    {
        Supervisor.ClearKnobs();
        Systemd.ClearKnobs();
    }

    internal static string CheckKnobName(string name) =>
        KnobName().IsMatch(name) ? name : throw new ArgumentException($"'{name}' is not a knob name", nameof(name));

    // ------------------------------------------------------------------ supervisor

    /// <summary>Runs <c>supervisorctl</c> locally as root.</summary>
    public static Task<LocalCommandResult> SupervisorCtlAsync(params string[] arguments) =>
        LocalCommand.RunAsync(SupervisorCtl, arguments, CommandTimeout);

    /// <summary>The state column of <c>supervisorctl status program</c> (RUNNING, STARTING, BACKOFF, STOPPED, FATAL...).</summary>
    public static async Task<string> GetSupervisorStateAsync(string program)
    {
        LocalCommandResult result = await SupervisorCtlAsync("status", program);
        Match match = StatusLine().Match(result.StandardOutput);
        return match.Success && match.Groups["name"].Value == program
            ? match.Groups["state"].Value
            : throw new InvalidOperationException($"supervisorctl status {program}: {result}");
    }

    /// <summary>The pid from <c>supervisorctl status program</c> ("pid N"), or null when it has none (not running).</summary>
    public static async Task<int?> GetSupervisorPidAsync(string program)
    {
        LocalCommandResult result = await SupervisorCtlAsync("status", program);
        Match match = PidInStatus().Match(result.StandardOutput);
        return match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    /// <summary>Current length of supervisord's log; pass it to <see cref="CountSupervisorSpawns"/> later.</summary>
    public long SupervisorLogLength() => FileLength(Facts.SupervisorLog);

    /// <summary>How many times supervisord logged <c>spawned: 'program' with pid N</c> after <paramref name="fromLogOffset"/>.</summary>
    public int CountSupervisorSpawns(string program, long fromLogOffset)
    {
        string marker = $"spawned: '{program}' with pid ";
        return ReadFrom(Facts.SupervisorLog, fromLogOffset)
            .Split('\n')
            .Count(line => line.Contains(marker, StringComparison.Ordinal));
    }

    // ------------------------------------------------------------------ logs

    public long OdooLogLength() => FileLength(Facts.OdooLog);

    /// <summary>The text appended to <paramref name="path"/> after <paramref name="fromOffset"/> (from the start if the file shrank).</summary>
    public static string ReadFrom(string path, long fromOffset)
    {
        if (!File.Exists(path))
        {
            return "";
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        stream.Seek(fromOffset <= stream.Length ? fromOffset : 0, SeekOrigin.Begin);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>Waits until a line containing <paramref name="text"/> appears in <paramref name="path"/> after <paramref name="fromOffset"/>; returns it.</summary>
    public static async Task<string> WaitForLogLineAsync(string path, long fromOffset, string text, TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            string? line = ReadFrom(path, fromOffset).Split('\n').FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal));
            if (line is not null)
            {
                return line;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"no line containing '{text}' in {path} within {timeout.TotalSeconds:0.#} s; new text: {ReadFrom(path, fromOffset)}");
            }

            await Task.Delay(50);
        }
    }

    // ------------------------------------------------------------------ database

    /// <summary>A connection to odoo_production as role odoo (owner of the tables), unpooled: PostgreSQL restarts in tests.</summary>
    public Task<NpgsqlConnection> OpenOdooDatabaseAsync() => OpenAsync(Facts.OdooDbUser, Facts.ReadOdooDbPassword());

    /// <summary>One of the fixture's Odoo databases (odoo_production, odoo16_schema, odoo17_schema, odoo18_schema) as its owner.</summary>
    public Task<NpgsqlConnection> OpenOdooDatabaseAsync(string database) => OpenAsync(Facts.OdooDbUser, Facts.ReadOdooDbPassword(), database);

    /// <summary>A connection as the product's monitoring role (remediation), unpooled.</summary>
    public Task<NpgsqlConnection> OpenMonitoringDatabaseAsync() => OpenAsync(Facts.PgUser, Facts.ReadPgPassword());

    /// <summary>odoo_production as role odoo on the PostgreSQL at <paramref name="port"/> (each target has its own), unpooled.</summary>
    public Task<NpgsqlConnection> OpenOdooDatabaseAsync(int port) => OpenAsync(Facts.OdooDbUser, Facts.ReadOdooDbPassword(), port: port);

    private async Task<NpgsqlConnection> OpenAsync(string user, string password, string? database = null, int? port = null)
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = Facts.PgHost,
            Port = port ?? Facts.PgPort,
            Database = database ?? Facts.PgDatabase,
            Username = user,
            Password = password,
            Pooling = false,
            Timeout = 5,
        };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync();
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    // ------------------------------------------------------------------ health

    public Task WaitForOdooHealthyAsync(TimeSpan timeout) => WaitForHttpOkAsync(new Uri(Facts.OdooUrl, "/web/health"), timeout);

    public Task WaitForNginxHealthyAsync(TimeSpan timeout) => WaitForHttpOkAsync(new Uri(Facts.NginxUrl, "/web/health"), timeout);

    /// <summary>Polls <paramref name="url"/> until it answers 200, or throws with the last answer after <paramref name="timeout"/>.</summary>
    public async Task WaitForHttpOkAsync(Uri url, TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        string last = "no attempt";
        while (true)
        {
            try
            {
                using HttpResponseMessage response = await _http.GetAsync(url);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }

                last = $"HTTP {(int)response.StatusCode}";
            }
            catch (HttpRequestException e)
            {
                last = e.Message;
            }
            catch (TaskCanceledException)
            {
                last = "timed out";
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{url} did not answer 200 within {timeout.TotalSeconds:0.#} s (last: {last})");
            }

            await Task.Delay(50);
        }
    }

    // ------------------------------------------------------------------ ssh

    /// <summary>
    /// Runs <paramref name="remoteCommand"/> over plain OpenSSH as the fixture's user, with the host key pinned
    /// by the fixture's known_hosts file.
    /// </summary>
    public Task<LocalCommandResult> RunOverSshAsync(string remoteCommand) =>
        LocalCommand.RunAsync(
            "/usr/bin/ssh",
            [
                "-n", "-i", Facts.ClientKeyFile, "-p", Facts.SshPort.ToString(CultureInfo.InvariantCulture),
                "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "-o", "StrictHostKeyChecking=yes",
                "-o", "UserKnownHostsFile=" + Facts.KnownHostsFile, "-o", "ConnectTimeout=10", "-o", "LogLevel=ERROR",
                $"{Facts.SshUser}@{Facts.SshHost}", remoteCommand,
            ],
            CommandTimeout);

    // ------------------------------------------------------------------ baseline

    /// <summary>What every test's baseline deletes and resets in odoo_production (both targets).</summary>
    internal const string BaselineSql = """
        DELETE FROM res_users_log;
        DELETE FROM bus_presence;
        DELETE FROM ir_cron_trigger;
        UPDATE ir_cron SET nextcall = (now() AT TIME ZONE 'UTC') + interval '100 years'
         WHERE nextcall < (now() AT TIME ZONE 'UTC') + interval '1 day';
        UPDATE res_users SET password = 'admin', active = true WHERE login = 'admin';
        """;

    private SupervisorTarget? _supervisor;
    private SystemdTarget? _systemd;

    /// <summary>"demo", the supervisor target.</summary>
    public SupervisorTarget Supervisor => _supervisor ??= new SupervisorTarget(this);

    /// <summary>"demo-systemd", the systemd target.</summary>
    public SystemdTarget Systemd => _systemd ??= new SystemdTarget(this);

    /// <summary>The target named <paramref name="name"/> in the inventory (demo or demo-systemd).</summary>
    public TargetUnderTest Target(string name) => name switch
    {
        TargetUnderTest.Supervisor => Supervisor,
        _ when name == Facts.SystemdTarget => Systemd,
        _ => throw new ArgumentException($"the fixture has no target '{name}'", nameof(name)),
    };

    /// <summary>
    /// Puts both targets back in their baseline so tests are independent: no knobs, no res_users_log or bus_presence
    /// rows, no due cron or trigger, admin/admin active, postgresql/odoo/nginx running and answering.
    /// </summary>
    public Task RestoreBaselineAsync() => Task.WhenAll(Supervisor.RestoreBaselineAsync(), Systemd.RestoreBaselineAsync());

    internal static async Task EnsureSupervisorRunningAsync(string program, TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            string state = await GetSupervisorStateAsync(program);
            switch (state)
            {
                case "RUNNING":
                    return;
                case "STARTING" or "BACKOFF" or "STOPPING":
                    // Settling: a stop may wait stopwaitsecs (30 s) for a process that ignores SIGTERM.
                    break;
                default:
                    LocalCommandResult start = await SupervisorCtlAsync("start", program);
                    if (start.ExitCode != 0 && !start.Output.Contains("already started", StringComparison.Ordinal))
                    {
                        throw new InvalidOperationException($"supervisorctl start {program} (was {state}): {start}");
                    }

                    break;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"supervisor program {program} is not RUNNING after {timeout.TotalSeconds:0} s (state {state})");
            }

            await Task.Delay(100);
        }
    }

    private static long FileLength(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;

    private static string FindRepositoryRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Remediation.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"no Remediation.sln in {AppContext.BaseDirectory} or above");
    }

    [GeneratedRegex(@"^FIXTURE_UP started=(?<started>\S+)", RegexOptions.Multiline)]
    private static partial Regex UpSummary();

    [GeneratedRegex(@"^(?<name>\S+)\s+(?<state>[A-Z]+)", RegexOptions.Multiline)]
    private static partial Regex StatusLine();

    [GeneratedRegex(@"\bpid (\d+),")]
    private static partial Regex PidInStatus();

    [GeneratedRegex("^[a-z][a-z0-9-]{0,63}$")]
    private static partial Regex KnobName();
}
