using Remediation.ServiceManagers;
using Remediation.Ssh;
using Xunit;

namespace Remediation.Tests.ServiceManagers;

/// <summary>
/// The Odoo unit pre-flight against outputs recorded from the fixture's real systemd 252 (demo-systemd):
/// <c>systemctl show -p KillMode,KillSignal,TimeoutStopUSec</c> prints TimeoutStopUSec in systemd's human form
/// ("30s", "1min 30s") and KillSignal as a number.
/// </summary>
[Trait("Category", "Unit")]
public sealed class OdooUnitPreflightCheckTests
{
    private const string Config = "/etc/odoo/odoo.conf";

    [Fact]
    public void Commands_AreReadOnlyAndReadOnlyTheOneLine()
    {
        Assert.Equal("/usr/bin/systemctl show -p KillMode,KillSignal,TimeoutStopUSec --no-pager odoo", OdooUnitPreflightCheck.Show("odoo").ToString());
        Assert.False(OdooUnitPreflightCheck.Show("odoo").Sudo);
        Assert.Equal("/usr/bin/grep -w limit_time_real /etc/odoo/odoo.conf", OdooUnitPreflightCheck.ReadLimitTimeReal(Config).ToString());
    }

    [Fact]
    public void Judge_FixtureUnit30sAndOdooDefault_WarnsOfSigkillBeforeLimitTimeReal()
    {
        // Arrange: demo-systemd's odoo.service (recorded), odoo.conf without limit_time_real (grep exits 1).
        CommandResult show = Result(0, "TimeoutStopUSec=30s\nKillMode=mixed\nKillSignal=15\n");

        // Act
        OdooUnitPreflight preflight = OdooUnitPreflightCheck.Judge("odoo", "odoo", show, Result(1, ""), Config);

        // Assert
        Assert.Equal(30, preflight.TimeoutStopSeconds);
        Assert.Equal(120, preflight.LimitTimeRealSeconds);
        Assert.Equal("mixed", preflight.KillMode);
        Assert.Equal(15, preflight.KillSignal);
        string warning = Assert.Single(preflight.Warnings);
        Assert.Contains("TimeoutStopSec=30s is shorter than Odoo's limit_time_real of 120 s (Odoo's default; not set in /etc/odoo/odoo.conf)", warning, StringComparison.Ordinal);
        Assert.Contains("SIGKILL 30 s after SIGTERM", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Judge_SystemdDefaultsControlGroup90s_WarnsTwice()
    {
        // Arrange: a unit written without KillMode/TimeoutStopSec (recorded from ssh.service's neighbour defaults).
        CommandResult show = Result(0, "TimeoutStopUSec=1min 30s\nKillMode=control-group\nKillSignal=15\n");

        // Act
        OdooUnitPreflight preflight = OdooUnitPreflightCheck.Judge("odoo", "odoo", show, Result(1, ""), Config);

        // Assert
        Assert.Equal(90, preflight.TimeoutStopSeconds);
        Assert.Equal(2, preflight.Warnings.Count);
        Assert.Contains(preflight.Warnings, w => w.Contains("TimeoutStopSec=1min 30s is shorter than Odoo's limit_time_real of 120 s", StringComparison.Ordinal));
        Assert.Contains(preflight.Warnings, w => w.Contains("KillMode=control-group sends the stop signal to every Odoo worker at once", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("limit_time_real = 60", "TimeoutStopUSec=1min 30s", 0)]
    [InlineData("limit_time_real = 600", "TimeoutStopUSec=10min", 0)]
    [InlineData("limit_time_real = 600", "TimeoutStopUSec=9min 59s", 1)]
    [InlineData("limit_time_real=121", "TimeoutStopUSec=2min", 1)]
    [InlineData("limit_time_real = 900", "TimeoutStopUSec=infinity", 0)]
    public void Judge_LimitFromConfig_ComparesWithTheUnitsTimeout(string line, string timeout, int warnings)
    {
        // Act
        OdooUnitPreflight preflight = OdooUnitPreflightCheck.Judge("odoo", "odoo", Result(0, timeout + "\nKillMode=mixed\nKillSignal=15\n"), Result(0, line + "\n"), Config);

        // Assert
        Assert.Equal(Config, preflight.LimitTimeRealSource);
        Assert.Equal(warnings, preflight.Warnings.Count);
    }

    [Fact]
    public void Judge_CommentedLimitAndUnreadableConfig_UseOdoosDefault()
    {
        CommandResult show = Result(0, "TimeoutStopUSec=5min\nKillMode=mixed\nKillSignal=15\n");

        OdooUnitPreflight commented = OdooUnitPreflightCheck.Judge("odoo", "odoo", show, Result(0, "; limit_time_real = 30\n"), Config);
        OdooUnitPreflight unreadable = OdooUnitPreflightCheck.Judge("odoo", "odoo", show, Result(2, "", "grep: /etc/odoo/odoo.conf: Permission denied"), Config);

        Assert.Equal(120, commented.LimitTimeRealSeconds);
        Assert.Empty(commented.Warnings);
        Assert.Equal(120, unreadable.LimitTimeRealSeconds);
        Assert.Contains(unreadable.Warnings, w => w.Contains("could not be read", StringComparison.Ordinal));
    }

    [Fact]
    public void Judge_KillSignalSigkill_WarnsThatNothingFinishes()
    {
        OdooUnitPreflight preflight = OdooUnitPreflightCheck.Judge("odoo", "odoo", Result(0, "TimeoutStopUSec=5min\nKillMode=mixed\nKillSignal=9\n"), Result(1, ""), Config);

        Assert.Contains(preflight.Warnings, w => w.Contains("KillSignal=SIGKILL", StringComparison.Ordinal));
    }

    [Fact]
    public void Judge_ShowFailed_Throws()
    {
        Assert.Throws<ServiceManagerException>(() => OdooUnitPreflightCheck.Judge("odoo", "odoo", Result(1, "", "Failed to connect to bus"), Result(1, ""), Config));
    }

    [Theory]
    [InlineData("30s", 30.0)]
    [InlineData("1min 30s", 90.0)]
    [InlineData("2h 5min", 7500.0)]
    [InlineData("500ms", 0.5)]
    [InlineData("1min 30.500s", 90.5)]
    [InlineData("infinity", null)]
    [InlineData("", null)]
    [InlineData("soon", null)]
    public void ParseTimespanSeconds_SystemdForms(string text, double? expected)
    {
        Assert.Equal(expected, OdooUnitPreflightCheck.ParseTimespanSeconds(text));
    }

    private static CommandResult Result(int exitCode, string stdout, string stderr = "") =>
        new() { Command = "test", ExitCode = exitCode, Stdout = stdout, Stderr = stderr };
}
