using Remediation.ServiceManagers;
using Remediation.Ssh;
using Xunit;

namespace Remediation.Tests.ServiceManagers;

/// <summary>
/// Outputs as systemd documents them: <c>systemctl show -p A,B</c> prints one Key=Value line per property, in
/// systemd's own property order (not the order asked for), and exits 0 even for a unit that does not exist.
/// </summary>
[Trait("Category", "Unit")]
public sealed class SystemdServiceManagerTests
{
    private readonly SystemdServiceManager _systemd = SystemdServiceManager.Instance;

    [Fact]
    public void Status_Unit_IsSystemctlShowWithoutSudo()
    {
        // Act
        RemoteCommand command = _systemd.Status("odoo");

        // Assert
        Assert.Equal("/usr/bin/systemctl show -p LoadState,ActiveState,SubState,MainPID --no-pager odoo", command.ToString());
    }

    [Fact]
    public void Actions_Unit_AreSudoSystemctlVerbs()
    {
        // Act / Assert
        Assert.Equal("sudo -n /usr/bin/systemctl restart odoo", _systemd.Restart("odoo").ToString());
        Assert.Equal("sudo -n /usr/bin/systemctl stop odoo", _systemd.Stop("odoo").ToString());
        Assert.Equal("sudo -n /usr/bin/systemctl start odoo", _systemd.Start("odoo").ToString());
        Assert.Equal("sudo -n /usr/bin/systemctl reload nginx", _systemd.Reload("nginx").ToString());
    }

    [Fact]
    public void ParseStatus_ActiveRunning_RunningWithPid()
    {
        // Arrange
        CommandResult result = Show("MainPID=1234\nLoadState=loaded\nActiveState=active\nSubState=running\n");

        // Act
        ServiceStatus status = _systemd.ParseStatus("odoo", result);

        // Assert
        Assert.Equal(ServiceState.Running, status.State);
        Assert.Equal("active (running)", status.RawState);
        Assert.Equal(1234, status.MainPid);
        Assert.True(status.IsRunning);
    }

    [Fact]
    public void ParseStatus_ActiveExitedOneshot_RunningWithoutPid()
    {
        // Arrange
        CommandResult result = Show("MainPID=0\nLoadState=loaded\nActiveState=active\nSubState=exited\n");

        // Act
        ServiceStatus status = _systemd.ParseStatus("setup", result);

        // Assert
        Assert.Equal(ServiceState.Running, status.State);
        Assert.Null(status.MainPid);
    }

    [Fact]
    public void ParseStatus_Inactive_StoppedWithoutPid()
    {
        // Arrange
        CommandResult result = Show("MainPID=0\nLoadState=loaded\nActiveState=inactive\nSubState=dead\n");

        // Act
        ServiceStatus status = _systemd.ParseStatus("odoo", result);

        // Assert
        Assert.Equal(ServiceState.Stopped, status.State);
        Assert.Equal("inactive (dead)", status.RawState);
        Assert.Null(status.MainPid);
    }

    [Fact]
    public void ParseStatus_Failed_Failed()
    {
        // Arrange
        CommandResult result = Show("MainPID=0\nLoadState=loaded\nActiveState=failed\nSubState=failed\n");

        // Act
        ServiceStatus status = _systemd.ParseStatus("odoo", result);

        // Assert
        Assert.Equal(ServiceState.Failed, status.State);
        Assert.Equal("failed (failed)", status.RawState);
    }

    [Fact]
    public void ParseStatus_ActivatingStartPre_Starting()
    {
        // Arrange: ExecStartPre still running, the main process not started yet.
        CommandResult result = Show("MainPID=0\nLoadState=loaded\nActiveState=activating\nSubState=start-pre\n");

        // Act
        ServiceStatus status = _systemd.ParseStatus("postgresql", result);

        // Assert
        Assert.Equal(ServiceState.Starting, status.State);
    }

    [Theory]
    [InlineData("deactivating", "stop-sigterm", ServiceState.Stopping)]
    [InlineData("reloading", "reload", ServiceState.Running)]
    [InlineData("maintenance", "", ServiceState.Unknown)]
    public void ParseStatus_OtherActiveStates_Mapped(string activeState, string subState, ServiceState expected)
    {
        // Arrange
        CommandResult result = Show($"MainPID=42\nLoadState=loaded\nActiveState={activeState}\nSubState={subState}\n");

        // Act
        ServiceStatus status = _systemd.ParseStatus("nginx", result);

        // Assert
        Assert.Equal(expected, status.State);
    }

    [Fact]
    public void ParseStatus_NotFound_ThrowsNotKnownToSystemd()
    {
        // Arrange: what systemd prints for a unit with no unit file.
        CommandResult result = Show("MainPID=0\nLoadState=not-found\nActiveState=inactive\nSubState=dead\n");

        // Act
        var error = Assert.Throws<ServiceManagerException>(() => _systemd.ParseStatus("odooo", result));

        // Assert
        Assert.Equal("unit odooo is not known to systemd on this target", error.Message);
    }

    [Fact]
    public void ParseStatus_SystemctlFailed_ThrowsWithItsError()
    {
        // Arrange: no systemd as PID 1 (a container).
        var result = new CommandResult
        {
            Command = "/usr/bin/systemctl show -p LoadState,ActiveState,SubState,MainPID --no-pager odoo",
            ExitCode = 1,
            Stderr = "System has not been booted with systemd as init system (PID 1). Can't operate.\nFailed to connect to bus: Host is down\n",
        };

        // Act
        var error = Assert.Throws<ServiceManagerException>(() => _systemd.ParseStatus("odoo", result));

        // Assert
        Assert.Contains("System has not been booted with systemd", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StatusAll_Units_IsOneSystemctlShowWithEveryUnit()
    {
        // Act
        RemoteCommand command = _systemd.StatusAll(["postgresql", "odoo", "nginx"]);

        // Assert
        Assert.Equal("/usr/bin/systemctl show -p LoadState,ActiveState,SubState,MainPID --no-pager postgresql odoo nginx", command.ToString());
    }

    [Fact]
    public void ParseStatuses_OneBlockPerUnit_StatusesInOrderGiven()
    {
        // Arrange: systemctl show prints the units' blocks in argument order, an empty line between them.
        CommandResult result = Show(
            "MainPID=812\nLoadState=loaded\nActiveState=active\nSubState=running\n\n"
            + "MainPID=0\nLoadState=loaded\nActiveState=failed\nSubState=failed\n\n"
            + "MainPID=0\nLoadState=loaded\nActiveState=inactive\nSubState=dead\n");

        // Act
        IReadOnlyList<ServiceStatus> statuses = _systemd.ParseStatuses(["postgresql", "odoo", "nginx"], result);

        // Assert
        Assert.Equal(["postgresql", "odoo", "nginx"], statuses.Select(s => s.Unit));
        Assert.Equal([ServiceState.Running, ServiceState.Failed, ServiceState.Stopped], statuses.Select(s => s.State));
        Assert.Equal([812, null, null], statuses.Select(s => s.MainPid));
        Assert.Equal("failed (failed)", statuses[1].RawState);
    }

    [Fact]
    public void ParseStatuses_UnitNotFound_ThrowsUnknownUnit()
    {
        // Arrange: a unit that does not exist still gets a block, with LoadState=not-found.
        CommandResult result = Show(
            "MainPID=812\nLoadState=loaded\nActiveState=active\nSubState=running\n\n"
            + "MainPID=0\nLoadState=not-found\nActiveState=inactive\nSubState=dead\n");

        // Act
        var error = Assert.Throws<ServiceManagerException>(() => _systemd.ParseStatuses(["postgresql", "odoo"], result));

        // Assert
        Assert.Equal("unit odoo is not known to systemd on this target", error.Message);
    }

    [Fact]
    public void ParseStatuses_FewerBlocksThanUnits_ThrowsRatherThanShift()
    {
        // Arrange
        CommandResult result = Show("MainPID=812\nLoadState=loaded\nActiveState=active\nSubState=running\n");

        // Act
        var error = Assert.Throws<ServiceManagerException>(() => _systemd.ParseStatuses(["postgresql", "odoo"], result));

        // Assert
        Assert.Contains("printed 1 blocks of properties for 2 units", error.Message, StringComparison.Ordinal);
    }

    private static CommandResult Show(string stdout) => new()
    {
        Command = "/usr/bin/systemctl show -p LoadState,ActiveState,SubState,MainPID --no-pager unit",
        ExitCode = 0,
        Stdout = stdout,
    };

    [Fact]
    public void OutcomeOf_AnyResult_ProvesNothing()
    {
        // systemctl start prints nothing and exits 0 both for a real start and for an active unit: only a status read tells.
        var result = new CommandResult { Command = "sudo -n /usr/bin/systemctl start odoo", ExitCode = 0 };

        Assert.False(SystemdServiceManager.Instance.CommandsReportOutcome);
        Assert.Null(SystemdServiceManager.Instance.OutcomeOf("odoo", result));
    }
}
