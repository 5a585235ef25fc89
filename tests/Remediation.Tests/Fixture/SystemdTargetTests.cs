using System.Diagnostics;
using Remediation.ServiceManagers;
using Remediation.Ssh;
using Xunit;

namespace Remediation.Tests.Fixture;

/// <summary>
/// The demo-systemd target itself: systemd as PID 1 of a container of its own that leaves the host alone, runs only
/// the fixture's units, and whose sudoers drop-in is enough for everything the product does there.
/// </summary>
[Collection(TargetHostCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class SystemdTargetTests
{
    private readonly TargetHostFixture _fixture;

    public SystemdTargetTests(TargetHostFixture fixture) => _fixture = fixture;

    private SystemdTarget Systemd => _fixture.Systemd;

    [Fact]
    public async Task Boot_HostTmpFileFromBeforeTheBoot_Survives()
    {
        const string marker = "/tmp/remediation-fixture-host-marker";
        DateTime booted = Process.GetProcessById(_fixture.Facts.SystemdLeaderPid).StartTime.ToUniversalTime();

        Assert.True(File.Exists(marker), $"{marker} (written by up.sh before booting demo-systemd) is gone from the host's /tmp");
        Assert.True(File.GetLastWriteTimeUtc(marker) <= booted, $"{marker} is newer ({File.GetLastWriteTimeUtc(marker):O}) than demo-systemd's PID 1 ({booted:O})");
        LocalCommandResult pid1 = await Systemd.RunOnTargetAsync("/usr/bin/cat", "/proc/1/comm");
        Assert.Equal("systemd", pid1.StandardOutput.Trim());
    }

    [Fact]
    public async Task Listeners_SupervisorTargetsPorts_AreNoneOfTheContainers()
    {
        string containerPidNamespace = new FileInfo($"/proc/{_fixture.Facts.SystemdLeaderPid}/ns/pid").LinkTarget!;
        foreach (int port in new[] { _fixture.Facts.SshPort, _fixture.Facts.PgPort, _fixture.Facts.OdooUrl.Port, _fixture.Facts.NginxUrl.Port })
        {
            LocalCommandResult listeners = await LocalCommand.RunAsync("/usr/bin/ss", ["-ltnpH", $"sport = :{port}"], TimeSpan.FromSeconds(10));
            string[] pids = [.. System.Text.RegularExpressions.Regex.Matches(listeners.StandardOutput, @"pid=(\d+)").Select(m => m.Groups[1].Value).Distinct()];

            Assert.NotEmpty(pids);
            Assert.All(pids, pid => Assert.NotEqual(containerPidNamespace, new FileInfo($"/proc/{pid}/ns/pid").LinkTarget));
        }
    }

    [Fact]
    public async Task Units_Running_AreOnlyTheFixturesAndSystemdsOwn()
    {
        LocalCommandResult running = await Systemd.RunOnTargetAsync("/usr/bin/systemctl", "list-units", "--type=service", "--state=running", "--no-legend", "--plain");
        string[] units = [.. running.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[0]).Order(StringComparer.Ordinal)];

        Assert.Equal(["dbus.service", "nginx.service", "odoo.service", "postgresql.service", "ssh.service", "systemd-journald.service", "systemd-logind.service"], units);
        Assert.Equal("running", (await Systemd.RunOnTargetAsync("/usr/bin/systemctl", "is-system-running")).StandardOutput.Trim());
    }

    [Fact]
    public async Task ServiceUsers_HaveUidsNoHostAccountHas_SoTheHostsPgrepNeverMatchesThem()
    {
        foreach (string user in new[] { "odoo", "postgres", "www-data" })
        {
            LocalCommandResult inside = await Systemd.RunOnTargetAsync("/usr/bin/id", "-u", user);
            LocalCommandResult onHost = await LocalCommand.RunAsync("/usr/bin/getent", ["passwd", inside.StandardOutput.Trim()], TimeSpan.FromSeconds(10));

            Assert.Equal(2, onHost.ExitCode);   // getent: key not found
        }
    }

    [Fact]
    public async Task Sudoers_StatusReadsNeedNoSudoAndEveryChangingCommandIsAnExactLine()
    {
        // Status: the product's own read, as ops, without sudo; and sudo does not allow it (nothing needs it).
        RemoteCommand status = SystemdServiceManager.Instance.StatusAll(["postgresql", "odoo", "nginx"]);
        LocalCommandResult read = await Systemd.RunOverSshAsync(status.ToString());
        Assert.Equal(0, read.ExitCode);
        Assert.Equal(3, read.StandardOutput.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.False(status.Sudo);
        Assert.NotEqual(0, (await Systemd.RunOverSshAsync("sudo -n -l /usr/bin/systemctl status odoo")).ExitCode);

        // Every changing command the product issues on a systemd target is allowed, exactly (sudo -l COMMAND checks without running).
        SystemdServiceManager systemd = SystemdServiceManager.Instance;
        var commands = new List<RemoteCommand>();
        foreach (string unit in new[] { "postgresql", "odoo", "nginx" })
        {
            commands.AddRange([systemd.Restart(unit), systemd.Stop(unit), systemd.Start(unit)]);
        }

        commands.Add(systemd.Reload("nginx"));
        commands.Add(ProcessCommands.KillLeftovers("odoo", "odoo-bin"));
        commands.Add(ProcessCommands.KillLeftovers("postgres", "postgres"));
        commands.Add(ProcessCommands.KillLeftovers("www-data", "nginx"));
        foreach (RemoteCommand command in commands)
        {
            Assert.True(command.Sudo, command.ToString());
            LocalCommandResult allowed = await Systemd.RunOverSshAsync("sudo -n -l " + command.ToString()["sudo -n ".Length..]);
            Assert.True(allowed.ExitCode == 0, $"{command}: {allowed}");
        }

        // Anything else, even a neighbour of a listed line, is refused.
        foreach (string refused in new[] { "/usr/bin/systemctl restart ssh", "/usr/bin/systemctl reload odoo", "/usr/bin/systemctl restart odoo nginx", "/usr/bin/systemctl daemon-reload" })
        {
            LocalCommandResult denied = await Systemd.RunOverSshAsync("sudo -n -l " + refused);
            Assert.True(denied.ExitCode != 0, $"{refused} should be refused: {denied}");
        }
    }
}
