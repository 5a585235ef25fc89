using System.Globalization;
using System.Net;
using Npgsql;
using Xunit;

namespace Remediation.Tests.Fixture;

/// <summary>
/// One of the fixture's target hosts as the end-to-end tests see it from outside: its inventory name, its endpoints,
/// and what the tests read or do behind the product's back (PIDs, starts and stops from the manager's own log, fault
/// injection, knobs). <see cref="SupervisorTarget"/> is "demo", <see cref="SystemdTarget"/> is "demo-systemd".
/// </summary>
public abstract class TargetUnderTest
{
    public const string Supervisor = "demo";
    public const string Systemd = "demo-systemd";

    /// <summary>Both targets, for <c>[Theory, MemberData(nameof(TargetUnderTest.Both), MemberType = typeof(TargetUnderTest))]</c>.</summary>
    public static TheoryData<string> Both => new() { Supervisor, Systemd };

    /// <summary>The services, in dependency order.</summary>
    public static readonly IReadOnlyList<string> Services = ["postgresql", "odoo", "nginx"];

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    protected TargetUnderTest(TargetHostFixture fixture) => Fixture = fixture;

    protected TargetHostFixture Fixture { get; }

    protected FixtureFacts Facts => Fixture.Facts;

    /// <summary>The target's name in the inventory.</summary>
    public abstract string Name { get; }

    /// <summary>The inventory's serviceManager: supervisor or systemd.</summary>
    public abstract string ServiceManager { get; }

    public abstract int SshPort { get; }
    public abstract string HostKey { get; }
    public abstract string KnownHostsFile { get; }
    public abstract int PgPort { get; }
    public abstract Uri OdooUrl { get; }
    public abstract Uri NginxUrl { get; }
    public abstract string KnobsDirectory { get; }

    /// <summary>The Odoo log as the host reads it (inside the container's root for demo-systemd).</summary>
    public abstract string OdooLogOnHost { get; }

    /// <summary>A path of the target's file system as the host reads and writes it.</summary>
    public abstract string OnHost(string targetPath);

    /// <summary>The manager's main PID of <paramref name="service"/>, or null when it runs none.</summary>
    public abstract Task<int?> GetPidAsync(string service);

    /// <summary>The manager's own word for the state (RUNNING/STOPPED/FATAL…, or active/inactive/failed…).</summary>
    public abstract Task<string> GetStateAsync(string service);

    public abstract Task<bool> IsRunningAsync(string service);

    /// <summary>What "stopped" looks like to this manager (supervisor STOPPED, systemd inactive).</summary>
    public abstract string StoppedState { get; }

    /// <summary>A position in the manager's log; <see cref="EventsSinceAsync"/> reads what happened after it.</summary>
    public abstract Task<string> MarkAsync();

    /// <summary>The manager's starts and stops since <paramref name="mark"/>, in order, as "started odoo" / "stopped nginx".</summary>
    public abstract Task<IReadOnlyList<string>> EventsSinceAsync(string mark);

    public async Task<int> CountStartsAsync(string service, string mark) =>
        (await EventsSinceAsync(mark)).Count(e => e == "started " + service);

    /// <summary>Runs the manager's own command as root on the target (fault injection): start, stop, restart.</summary>
    public abstract Task<LocalCommandResult> ControlAsync(string verb, string service);

    /// <summary>Waits until the manager has logged one of <paramref name="anyOf"/> (e.g. "stopped odoo") after <paramref name="mark"/>.</summary>
    public async Task WaitForEventAsync(string mark, IReadOnlyList<string> anyOf, TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (!(await EventsSinceAsync(mark)).Any(anyOf.Contains))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{Name}: none of '{string.Join("', '", anyOf)}' within {timeout.TotalSeconds:0} s; events: {string.Join(", ", await EventsSinceAsync(mark))}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>A position in the target's sshd log.</summary>
    public abstract Task<string> SshdLogMarkAsync();

    /// <summary>What the target's sshd logged after <paramref name="mark"/>.</summary>
    public abstract Task<string> SshdLogSinceAsync(string mark);

    /// <summary>The PIDs of nginx's worker processes (user www-data) on the target, sorted.</summary>
    public async Task<IReadOnlyList<int>> NginxWorkersAsync()
    {
        LocalCommandResult found = await RunOnTargetAsync("/usr/bin/pgrep", "-u", "www-data", "-f", "nginx");
        return [.. found.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(p => int.Parse(p, CultureInfo.InvariantCulture)).Order()];
    }

    /// <summary>Runs a command as root on the target (on the host for demo; inside the container for demo-systemd).</summary>
    public abstract Task<LocalCommandResult> RunOnTargetAsync(string file, params string[] arguments);

    protected static Task<LocalCommandResult> RunLocalAsync(string file, IEnumerable<string> arguments) => LocalCommand.RunAsync(file, arguments, CommandTimeout);

    // ------------------------------------------------------------------ knobs

    /// <summary>Creates a knob of this target's Odoo stand-in (see <see cref="TargetHostFixture.SetKnob"/>).</summary>
    public void SetKnob(string name, string content = "") => File.WriteAllText(Path.Combine(KnobsDirectory, TargetHostFixture.CheckKnobName(name)), content);

    public void ClearKnob(string name) => File.Delete(Path.Combine(KnobsDirectory, TargetHostFixture.CheckKnobName(name)));

    public void ClearKnobs()
    {
        foreach (string file in Directory.EnumerateFiles(KnobsDirectory))
        {
            File.Delete(file);
        }
    }

    // ------------------------------------------------------------------ database and health

    /// <summary>A connection to this target's odoo_production as role odoo, unpooled.</summary>
    public Task<NpgsqlConnection> OpenOdooDatabaseAsync() => Fixture.OpenOdooDatabaseAsync(PgPort);

    public Task WaitForOdooHealthyAsync(TimeSpan timeout) => Fixture.WaitForHttpOkAsync(new Uri(OdooUrl, "/web/health"), timeout);

    public Task WaitForNginxHealthyAsync(TimeSpan timeout) => Fixture.WaitForHttpOkAsync(new Uri(NginxUrl, "/web/health"), timeout);

    /// <summary>No knobs, no user/presence rows, no due cron; every service running and answering.</summary>
    public async Task RestoreBaselineAsync()
    {
        ClearKnobs();
        foreach (string service in Services)
        {
            await EnsureRunningAsync(service, TimeSpan.FromSeconds(45));
        }

        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        NpgsqlConnection? connection = null;
        while (connection is null)
        {
            try
            {
                connection = await OpenOdooDatabaseAsync();
            }
            catch (NpgsqlException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }

        await using (connection)
        {
            await using var command = new NpgsqlCommand(TargetHostFixture.BaselineSql, connection);
            await command.ExecuteNonQueryAsync();
        }

        await WaitForOdooHealthyAsync(TimeSpan.FromSeconds(30));
        await WaitForNginxHealthyAsync(TimeSpan.FromSeconds(15));
    }

    protected abstract Task EnsureRunningAsync(string service, TimeSpan timeout);

    /// <summary>Plain OpenSSH to this target as ops, host key pinned by its known_hosts.</summary>
    public Task<LocalCommandResult> RunOverSshAsync(string remoteCommand) =>
        LocalCommand.RunAsync(
            "/usr/bin/ssh",
            [
                "-n", "-i", Facts.ClientKeyFile, "-p", SshPort.ToString(CultureInfo.InvariantCulture),
                "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "-o", "StrictHostKeyChecking=yes",
                "-o", "UserKnownHostsFile=" + KnownHostsFile, "-o", "ConnectTimeout=10", "-o", "LogLevel=ERROR",
                $"{Facts.SshUser}@{Facts.SshHost}", remoteCommand,
            ],
            CommandTimeout);

    public override string ToString() => Name;
}

/// <summary>"demo": supervisord on the host runs PostgreSQL :5432, Odoo :8069, nginx :8080; sshd :2222.</summary>
public sealed class SupervisorTarget(TargetHostFixture fixture) : TargetUnderTest(fixture)
{
    public override string Name => Supervisor;
    public override string ServiceManager => "supervisor";
    public override int SshPort => Facts.SshPort;
    public override string HostKey => Facts.HostKey;
    public override string KnownHostsFile => Facts.KnownHostsFile;
    public override int PgPort => Facts.PgPort;
    public override Uri OdooUrl => Facts.OdooUrl;
    public override Uri NginxUrl => Facts.NginxUrl;
    public override string KnobsDirectory => Facts.KnobsDirectory;
    public override string OdooLogOnHost => Facts.OdooLog;
    public override string StoppedState => "STOPPED";

    public override string OnHost(string targetPath) => targetPath;

    public override Task<int?> GetPidAsync(string service) => TargetHostFixture.GetSupervisorPidAsync(service);

    public override Task<string> GetStateAsync(string service) => TargetHostFixture.GetSupervisorStateAsync(service);

    public override async Task<bool> IsRunningAsync(string service) => await GetStateAsync(service) == "RUNNING";

    public override Task<string> MarkAsync() => Task.FromResult(Fixture.SupervisorLogLength().ToString(CultureInfo.InvariantCulture));

    public override Task<IReadOnlyList<string>> EventsSinceAsync(string mark)
    {
        string log = TargetHostFixture.ReadFrom(Facts.SupervisorLog, long.Parse(mark, CultureInfo.InvariantCulture));
        var events = new List<string>();
        foreach (string line in log.Split('\n'))
        {
            foreach (string service in Services)
            {
                if (line.Contains($"spawned: '{service}' with pid ", StringComparison.Ordinal))
                {
                    events.Add("started " + service);
                }
                else if (line.Contains($"stopped: {service} ", StringComparison.Ordinal))
                {
                    events.Add("stopped " + service);
                }
                else if (line.Contains($"success: {service} entered RUNNING", StringComparison.Ordinal))
                {
                    events.Add("running " + service);
                }
            }
        }

        return Task.FromResult<IReadOnlyList<string>>(events);
    }

    public override Task<LocalCommandResult> ControlAsync(string verb, string service) => TargetHostFixture.SupervisorCtlAsync(verb, service);

    private string SshdLog => Path.Combine(Facts.StateDirectory, "sshd.log");

    public override Task<string> SshdLogMarkAsync() =>
        Task.FromResult((File.Exists(SshdLog) ? new FileInfo(SshdLog).Length : 0).ToString(CultureInfo.InvariantCulture));

    public override Task<string> SshdLogSinceAsync(string mark) => Task.FromResult(TargetHostFixture.ReadFrom(SshdLog, long.Parse(mark, CultureInfo.InvariantCulture)));

    public override Task<LocalCommandResult> RunOnTargetAsync(string file, params string[] arguments) => RunLocalAsync(file, arguments);

    protected override Task EnsureRunningAsync(string service, TimeSpan timeout) => TargetHostFixture.EnsureSupervisorRunningAsync(service, timeout);
}

/// <summary>
/// "demo-systemd": systemd as PID 1 of a systemd-nspawn container on the host's network: sshd :2223, PostgreSQL :5433,
/// odoo.service :8070, nginx :8081. The tests reach its manager with <c>nsenter -t PID -a</c> and read its journal.
/// </summary>
public sealed class SystemdTarget(TargetHostFixture fixture) : TargetUnderTest(fixture)
{
    // The journal's MESSAGE_IDs of systemd's "Started …" and "Stopped …" lines (sd-messages.h: UNIT_STARTED, UNIT_STOPPED).
    private const string UnitStarted = "39f53479d3a045ac8e11786248231fbf";
    private const string UnitStopped = "9d1aaa27d60140bd96365438aad20286";

    public override string Name => Facts.SystemdTarget;
    public override string ServiceManager => "systemd";
    public override int SshPort => Facts.SystemdSshPort;
    public override string HostKey => Facts.SystemdHostKey;
    public override string KnownHostsFile => Facts.SystemdKnownHostsFile;
    public override int PgPort => Facts.SystemdPgPort;
    public override Uri OdooUrl => Facts.SystemdOdooUrl;
    public override Uri NginxUrl => Facts.SystemdNginxUrl;
    public override string KnobsDirectory => Facts.SystemdKnobsDirectory;
    public override string OdooLogOnHost => OnHost(Facts.OdooLog);
    public override string StoppedState => "inactive";

    public override string OnHost(string targetPath) => Facts.SystemdRoot + targetPath;

    /// <summary>Runs <paramref name="file"/> inside the container, in all its namespaces, as root.</summary>
    public override Task<LocalCommandResult> RunOnTargetAsync(string file, params string[] arguments) =>
        RunLocalAsync("/usr/bin/nsenter", ["-t", Facts.SystemdLeaderPid.ToString(CultureInfo.InvariantCulture), "-a", "--", file, .. arguments]);

    /// <summary><c>systemctl show -p …</c> inside the container: Key=Value lines.</summary>
    public async Task<IReadOnlyDictionary<string, string>> ShowAsync(string unit, params string[] properties)
    {
        LocalCommandResult shown = await RunOnTargetAsync("/usr/bin/systemctl", "show", "-p", string.Join(',', properties), "--no-pager", unit);
        Assert.True(shown.ExitCode == 0, $"systemctl show {unit}: {shown}");
        return shown.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
    }

    public override async Task<int?> GetPidAsync(string service)
    {
        string pid = (await ShowAsync(service, "MainPID"))["MainPID"];
        return int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value > 0 ? value : null;
    }

    public override async Task<string> GetStateAsync(string service) => (await ShowAsync(service, "ActiveState"))["ActiveState"];

    public override async Task<bool> IsRunningAsync(string service)
    {
        IReadOnlyDictionary<string, string> shown = await ShowAsync(service, "ActiveState", "SubState");
        return shown["ActiveState"] == "active" && shown["SubState"] == "running";
    }

    public override async Task<string> MarkAsync()
    {
        await RunOnTargetAsync("/usr/bin/journalctl", "--sync");   // journald writes asynchronously
        LocalCommandResult cursor = await RunOnTargetAsync("/usr/bin/journalctl", "-q", "-n", "0", "--show-cursor");
        const string prefix = "-- cursor: ";
        string? line = cursor.StandardOutput.Split('\n').FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
        return line?[prefix.Length..].Trim() ?? throw new InvalidOperationException($"journalctl --show-cursor in {Name}: {cursor}");
    }

    public override async Task<IReadOnlyList<string>> EventsSinceAsync(string mark)
    {
        await RunOnTargetAsync("/usr/bin/journalctl", "--sync");   // journald writes asynchronously
        // No journal matches here: systemd 252's journalctl seeks --after-cursor to the first entry that matches and then
        // skips one more, so with matches the first start/stop after the mark was lost. Filter the entries here instead.
        LocalCommandResult read = await RunOnTargetAsync(
            "/usr/bin/journalctl", "-q", "--no-pager", "-o", "json", "--output-fields=_PID,MESSAGE_ID,UNIT", "--after-cursor=" + mark);
        var events = new List<string>();
        foreach (string line in read.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var entry = System.Text.Json.JsonDocument.Parse(line);
            System.Text.Json.JsonElement root = entry.RootElement;
            if (!root.TryGetProperty("UNIT", out System.Text.Json.JsonElement unit) || !root.TryGetProperty("MESSAGE_ID", out System.Text.Json.JsonElement id)
                || !root.TryGetProperty("_PID", out System.Text.Json.JsonElement pid) || pid.GetString() != "1"
                || id.GetString() is not (UnitStarted or UnitStopped))
            {
                continue;
            }

            string service = unit.GetString()!.Replace(".service", "", StringComparison.Ordinal);
            if (Services.Contains(service))
            {
                events.Add((id.GetString() == UnitStarted ? "started " : "stopped ") + service);
            }
        }

        return events;
    }

    public override Task<LocalCommandResult> ControlAsync(string verb, string service) => RunOnTargetAsync("/usr/bin/systemctl", verb, service);

    public override Task<string> SshdLogMarkAsync() => MarkAsync();

    /// <summary>sshd's lines in the container's journal (ssh.service) after the cursor.</summary>
    public override async Task<string> SshdLogSinceAsync(string mark)
    {
        await RunOnTargetAsync("/usr/bin/journalctl", "--sync");
        return (await RunOnTargetAsync("/usr/bin/journalctl", "-q", "--no-pager", "-o", "cat", "--after-cursor=" + mark, "-u", "ssh.service")).StandardOutput;
    }

    protected override async Task EnsureRunningAsync(string service, TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            IReadOnlyDictionary<string, string> shown = await ShowAsync(service, "ActiveState", "SubState");
            string state = shown["ActiveState"];
            switch (state)
            {
                case "active" when shown["SubState"] == "running":
                    return;
                case "activating" or "deactivating" or "reloading":
                    break;   // settling: a stop may wait TimeoutStopSec for a process that ignores SIGTERM
                default:
                    await RunOnTargetAsync("/usr/bin/systemctl", "reset-failed", service);
                    LocalCommandResult start = await ControlAsync("start", service);
                    if (start.ExitCode != 0 && DateTime.UtcNow > deadline)
                    {
                        throw new InvalidOperationException($"systemctl start {service} in {Name} (was {state}): {start}");
                    }

                    break;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{Name}: unit {service} is not active (running) after {timeout.TotalSeconds:0} s (state {state})");
            }

            await Task.Delay(100);
        }
    }
}
