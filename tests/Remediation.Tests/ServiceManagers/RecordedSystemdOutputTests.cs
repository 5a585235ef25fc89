using Remediation.ServiceManagers;
using Remediation.Ssh;
using Remediation.Tests.EndToEnd;
using Xunit;

namespace Remediation.Tests.ServiceManagers;

/// <summary>
/// The systemd parsers on outputs recorded from the fixture's real systemd 252 (demo-systemd; see Recorded/README.md),
/// beside <see cref="SystemdServiceManagerTests"/>' documented samples.
/// </summary>
[Trait("Category", "Unit")]
public sealed class RecordedSystemdOutputTests
{
    private const string StatusCommand = "/usr/bin/systemctl show -p LoadState,ActiveState,SubState,MainPID --no-pager";
    private readonly SystemdServiceManager _systemd = SystemdServiceManager.Instance;

    [Fact]
    public void ParseStatuses_RecordedRunningStack_OneRunningStatusWithPidPerUnit()
    {
        IReadOnlyList<ServiceStatus> statuses = _systemd.ParseStatuses(["postgresql", "odoo", "nginx"], Recorded("show-stack-active.txt"));

        Assert.Equal([35, 50, 41], statuses.Select(s => s.MainPid ?? 0));
        Assert.All(statuses, s => Assert.Equal(ServiceState.Running, s.State));
        Assert.All(statuses, s => Assert.Equal("active (running)", s.RawState));
    }

    [Fact]
    public void ParseStatus_RecordedFailedUnit_FailedWithoutPid()
    {
        ServiceStatus status = _systemd.ParseStatus("odoo", Recorded("show-failed.txt"));

        Assert.Equal(ServiceState.Failed, status.State);
        Assert.Equal("failed (failed)", status.RawState);
        Assert.Null(status.MainPid);
    }

    [Fact]
    public void ParseStatus_RecordedInactiveUnitWithoutMainPid_Stopped()
    {
        // A socket unit has no MainPID property at all: systemctl prints only the other three.
        ServiceStatus status = _systemd.ParseStatus("ssh.socket", Recorded("show-inactive.txt"));

        Assert.Equal(ServiceState.Stopped, status.State);
        Assert.Equal("inactive (dead)", status.RawState);
        Assert.Null(status.MainPid);
    }

    [Fact]
    public void ParseStatus_RecordedUnknownUnit_ExitsZeroAndIsRefused()
    {
        CommandResult result = Recorded("show-not-found.txt");

        var error = Assert.Throws<ServiceManagerException>(() => _systemd.ParseStatus("nosuchunit", result));

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("not known to systemd", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Preflight_RecordedStopSettings_FixtureUnitWarnsOnceDebianSshDefaultsWarnTwice()
    {
        var noLimit = new CommandResult { Command = "grep", ExitCode = 1 };

        OdooUnitPreflight fixture = OdooUnitPreflightCheck.Judge("odoo", "odoo", Recorded("show-odoo-stop-settings.txt"), noLimit, "/etc/odoo/odoo.conf");
        OdooUnitPreflight defaults = OdooUnitPreflightCheck.Judge("odoo", "ssh", Recorded("show-ssh-stop-settings.txt"), noLimit, "/etc/odoo/odoo.conf");

        Assert.Equal(30, fixture.TimeoutStopSeconds);
        Assert.Single(fixture.Warnings);
        Assert.Equal(90, defaults.TimeoutStopSeconds);
        Assert.Equal("process", defaults.KillMode);
        Assert.Single(defaults.Warnings);   // 90 s < 120 s; KillMode=process is not control-group
    }

    private static CommandResult Recorded(string file) => new()
    {
        Command = StatusCommand,
        ExitCode = 0,
        Stdout = File.ReadAllText(Path.Combine(RepositoryRoot.Find(), "tests", "Remediation.Tests", "ServiceManagers", "Recorded", file)),
    };
}
