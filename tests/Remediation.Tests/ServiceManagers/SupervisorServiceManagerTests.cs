using Remediation.ServiceManagers;
using Remediation.Ssh;
using Xunit;

namespace Remediation.Tests.ServiceManagers;

/// <summary>
/// Every output here was captured from supervisor 4.2.5 (Debian 12), the version the fixture runs: RUNNING from the
/// fixture itself over SSH as ops, the other states from a scratch supervisord with programs made to reach them.
/// Exit codes are the ones observed.
/// </summary>
[Trait("Category", "Unit")]
public sealed class SupervisorServiceManagerTests
{
    private readonly SupervisorServiceManager _supervisor = SupervisorServiceManager.Instance;

    [Fact]
    public void Commands_Program_AreSudoSupervisorctl()
    {
        // Act / Assert
        Assert.Equal("sudo -n /usr/bin/supervisorctl status odoo", _supervisor.Status("odoo").ToString());
        Assert.Equal("sudo -n /usr/bin/supervisorctl restart odoo", _supervisor.Restart("odoo").ToString());
        Assert.Equal("sudo -n /usr/bin/supervisorctl stop odoo", _supervisor.Stop("odoo").ToString());
        Assert.Equal("sudo -n /usr/bin/supervisorctl start odoo", _supervisor.Start("odoo").ToString());
    }

    [Fact]
    public void Reload_Program_SignalsHup()
    {
        // Act
        RemoteCommand reload = _supervisor.Reload("nginx");

        // Assert
        Assert.Equal("sudo -n /usr/bin/supervisorctl signal HUP nginx", reload.ToString());
    }

    [Fact]
    public void ParseStatus_Running_RunningWithPid()
    {
        // Arrange: fixture, exit 0.
        CommandResult result = Status("odoo", 0, "odoo                             RUNNING   pid 7024, uptime 0:01:54\n");

        // Act
        ServiceStatus status = _supervisor.ParseStatus("odoo", result);

        // Assert
        Assert.Equal(new ServiceStatus("odoo", ServiceState.Running, "RUNNING", 7024, "pid 7024, uptime 0:01:54"), status);
    }

    [Fact]
    public void ParseStatus_StoppedWithDate_StoppedWithoutPid()
    {
        // Arrange: after `supervisorctl stop odoo`, exit 3.
        CommandResult result = Status("odoo", 3, "odoo                             STOPPED   Nov 25 11:14 AM\n");

        // Act
        ServiceStatus status = _supervisor.ParseStatus("odoo", result);

        // Assert
        Assert.Equal(ServiceState.Stopped, status.State);
        Assert.Equal("STOPPED", status.RawState);
        Assert.Null(status.MainPid);
        Assert.Equal("Nov 25 11:14 AM", status.Detail);
    }

    [Fact]
    public void ParseStatus_StoppedNotStarted_Stopped()
    {
        // Arrange: autostart=false, never started; exit 3.
        CommandResult result = Status("idle", 3, "idle                             STOPPED   Not started\n");

        // Act
        ServiceStatus status = _supervisor.ParseStatus("idle", result);

        // Assert
        Assert.Equal(ServiceState.Stopped, status.State);
    }

    [Fact]
    public void ParseStatus_StartingWithTrailingSpaces_Starting()
    {
        // Arrange: within startsecs; exit 0 although it is not running yet.
        CommandResult result = Status("odoo", 0, "odoo                             STARTING  \n");

        // Act
        ServiceStatus status = _supervisor.ParseStatus("odoo", result);

        // Assert
        Assert.Equal(ServiceState.Starting, status.State);
        Assert.Equal("", status.Detail);
    }

    [Fact]
    public void ParseStatus_Backoff_StartingDespiteExitZero()
    {
        // Arrange
        CommandResult result = Status("quick", 0, "quick                            BACKOFF   Exited too quickly (process log may have details)\n");

        // Act
        ServiceStatus status = _supervisor.ParseStatus("quick", result);

        // Assert
        Assert.Equal(ServiceState.Starting, status.State);
        Assert.Equal("BACKOFF", status.RawState);
        Assert.Equal("Exited too quickly (process log may have details)", status.Detail);
    }

    [Fact]
    public void ParseStatus_Fatal_Failed()
    {
        // Arrange: retries exhausted; exit 3.
        CommandResult result = Status("quick", 3, "quick                            FATAL     Exited too quickly (process log may have details)\n");

        // Act
        ServiceStatus status = _supervisor.ParseStatus("quick", result);

        // Assert
        Assert.Equal(ServiceState.Failed, status.State);
    }

    [Fact]
    public void ParseStatus_Exited_Stopped()
    {
        // Arrange: autorestart=false and the process ended; exit 3.
        CommandResult result = Status("exiter", 3, "exiter                           EXITED    Nov 25 11:14 AM\n");

        // Act
        ServiceStatus status = _supervisor.ParseStatus("exiter", result);

        // Assert
        Assert.Equal(ServiceState.Stopped, status.State);
        Assert.Equal("EXITED", status.RawState);
    }

    [Fact]
    public void ParseStatus_Stopping_Stopping()
    {
        // Arrange: a program ignoring SIGTERM, inside stopwaitsecs; exit 0.
        CommandResult result = Status("stubborn", 0, "stubborn                         STOPPING  \n");

        // Act
        ServiceStatus status = _supervisor.ParseStatus("stubborn", result);

        // Assert
        Assert.Equal(ServiceState.Stopping, status.State);
    }

    [Fact]
    public void ParseStatus_UnknownStateWord_Unknown()
    {
        // Arrange: supervisor's own UNKNOWN state (never observed, documented).
        CommandResult result = Status("odoo", 0, "odoo                             UNKNOWN   \n");

        // Act
        ServiceStatus status = _supervisor.ParseStatus("odoo", result);

        // Assert
        Assert.Equal(ServiceState.Unknown, status.State);
        Assert.Equal("UNKNOWN", status.RawState);
    }

    [Fact]
    public void ParseStatus_NoSuchProcess_ThrowsNotConfigured()
    {
        // Arrange: exit 4.
        CommandResult result = Status("nosuch", 4, "nosuch: ERROR (no such process)\n");

        // Act
        var error = Assert.Throws<ServiceManagerException>(() => _supervisor.ParseStatus("nosuch", result));

        // Assert
        Assert.Equal("program nosuch is not configured in supervisor on this target", error.Message);
    }

    [Theory]
    [InlineData("unix:///tmp/svtest/supervisor.sock no such file\n", "")]
    [InlineData("", "unix:///tmp/svtest/supervisor.sock refused connection\n")]
    [InlineData("unix:///var/run/supervisor.sock no such file\n", "")]
    public void ParseStatus_SupervisordDown_ThrowsNotRunning(string stdout, string stderr)
    {
        // Arrange: exit 4, socket gone ("no such file") or left behind by a dead supervisord ("refused connection").
        CommandResult result = Status("odoo", 4, stdout, stderr);

        // Act
        var error = Assert.Throws<ServiceManagerException>(() => _supervisor.ParseStatus("odoo", result));

        // Assert
        Assert.StartsWith("supervisord is not running on this target", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseStatus_SudoRefused_ThrowsNamingTheDropIn()
    {
        // Arrange: fixture, a program the drop-in does not list; exit 1.
        CommandResult result = Status("nosuch", 1, "", "sudo: a password is required\n");

        // Act
        var error = Assert.Throws<ServiceManagerException>(() => _supervisor.ParseStatus("nosuch", result));

        // Assert
        Assert.Contains("is not allowed by the sudoers drop-in (infra/target/sudoers.d/remediation)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseStatus_SupervisordShuttingDown_ThrowsWithTheOutput()
    {
        // Arrange: captured while supervisord was stopping; exit 1.
        CommandResult result = Status("odoo", 1, "error: <class 'xmlrpc.client.Fault'>, <Fault 6: 'SHUTDOWN_STATE'>: file: /usr/lib/python3.11/xmlrpc/client.py line: 668\n");

        // Act
        var error = Assert.Throws<ServiceManagerException>(() => _supervisor.ParseStatus("odoo", result));

        // Assert
        Assert.Contains("SHUTDOWN_STATE", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseStatus_GroupMember_Read()
    {
        // Arrange
        CommandResult result = Status("odoo", 0, "odoo:odoo_00                     RUNNING   pid 812, uptime 1:02:03\n");

        // Act
        ServiceStatus status = _supervisor.ParseStatus("odoo", result);

        // Assert
        Assert.Equal(ServiceState.Running, status.State);
        Assert.Equal(812, status.MainPid);
    }

    [Fact]
    public void StatusAll_AnyUnits_IsSudoSupervisorctlStatusAll()
    {
        // Act
        RemoteCommand command = _supervisor.StatusAll(["postgresql", "odoo", "nginx"]);

        // Assert: one exact command line, listed as such in the sudoers drop-in.
        Assert.Equal("sudo -n /usr/bin/supervisorctl status all", command.ToString());
    }

    [Fact]
    public void ParseStatuses_ListingOfEveryProgram_OneStatusPerUnitInOrderAsked()
    {
        // Arrange: scratch supervisord, `status all` with one program stopped; exit 3.
        CommandResult result = StatusAll(3, ScratchListing);

        // Act
        IReadOnlyList<ServiceStatus> statuses = _supervisor.ParseStatuses(["postgresql", "odoo", "nginx", "web"], result);

        // Assert
        Assert.Equal(
            [
                new ServiceStatus("postgresql", ServiceState.Stopped, "STOPPED", null, "Dec 01 10:10 PM"),
                new ServiceStatus("odoo", ServiceState.Running, "RUNNING", 14428, "pid 14428, uptime 0:00:02"),
                new ServiceStatus("nginx", ServiceState.Stopped, "STOPPED", null, "Not started"),
                new ServiceStatus("web", ServiceState.Running, "RUNNING", 14431, "pid 14431, uptime 0:00:02"),
            ],
            statuses);
    }

    [Fact]
    public void ParseStatuses_UnitNotListed_ThrowsNotConfigured()
    {
        // Arrange
        CommandResult result = StatusAll(3, ScratchListing);

        // Act
        var error = Assert.Throws<ServiceManagerException>(() => _supervisor.ParseStatuses(["odoo", "redis"], result));

        // Assert
        Assert.Equal("program redis is not configured in supervisor on this target (`sudo -n /usr/bin/supervisorctl status all` does not list it)", error.Message);
    }

    [Fact]
    public void ParseStatuses_ProgramNamePrefixOfAnother_NotConfused()
    {
        // Arrange: "odoo" must not be read from "odoo-worker"'s line.
        CommandResult result = StatusAll(3, "odoo-worker                      RUNNING   pid 7, uptime 0:00:09\nodoo                             STOPPED   Not started\n");

        // Act
        ServiceStatus status = Assert.Single(_supervisor.ParseStatuses(["odoo"], result));

        // Assert
        Assert.Equal(ServiceState.Stopped, status.State);
    }

    [Fact]
    public void ParseStatuses_SudoRefused_ThrowsNamingTheDropIn()
    {
        // Arrange: a target whose drop-in predates `status all`; exit 1.
        CommandResult result = StatusAll(1, "", "sudo: a password is required\n");

        // Act
        var error = Assert.Throws<ServiceManagerException>(() => _supervisor.ParseStatuses(["odoo"], result));

        // Assert
        Assert.StartsWith("`sudo -n /usr/bin/supervisorctl status all` is not allowed by the sudoers drop-in", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseStatuses_SupervisordDown_ThrowsNotRunning()
    {
        // Arrange: exit 4.
        CommandResult result = StatusAll(4, "unix:///var/run/supervisor.sock no such file\n");

        // Act
        var error = Assert.Throws<ServiceManagerException>(() => _supervisor.ParseStatuses(["odoo"], result));

        // Assert
        Assert.StartsWith("supervisord is not running on this target", error.Message, StringComparison.Ordinal);
    }

    // Captured from a scratch supervisord (supervisor 4.2.5, Debian 12) after `supervisorctl stop postgresql`.
    private const string ScratchListing =
        "nginx                            STOPPED   Not started\n"
        + "odoo                             RUNNING   pid 14428, uptime 0:00:02\n"
        + "postgresql                       STOPPED   Dec 01 10:10 PM\n"
        + "quick                            FATAL     Exited too quickly (process log may have details)\n"
        + "web:web1                         RUNNING   pid 14431, uptime 0:00:02\n"
        + "web:web2                         RUNNING   pid 14432, uptime 0:00:02\n";

    private static CommandResult StatusAll(int exitCode, string stdout, string stderr = "") => new()
    {
        Command = "sudo -n /usr/bin/supervisorctl status all",
        ExitCode = exitCode,
        Stdout = stdout,
        Stderr = stderr,
    };

    private static CommandResult Status(string program, int exitCode, string stdout, string stderr = "") => new()
    {
        Command = $"sudo -n /usr/bin/supervisorctl status {program}",
        ExitCode = exitCode,
        Stdout = stdout,
        Stderr = stderr,
    };

    [Theory]
    [InlineData("odoo: started\n", CommandOutcome.Started)]
    [InlineData("odoo: stopped\nodoo: started\n", CommandOutcome.Started)]
    [InlineData("odoo: ERROR (not running)\nodoo: started\n", CommandOutcome.Started)]
    [InlineData("odoo: ERROR (already started)\n", CommandOutcome.AlreadyStarted)]
    [InlineData("nginx: stopped\n", null)]
    [InlineData("odoo: stopped\n", CommandOutcome.Stopped)]
    [InlineData("odoo: ERROR (not running)\n", CommandOutcome.NotRunning)]
    [InlineData("odoo: ERROR (spawn error)\n", null)]
    [InlineData("odoo: ERROR (abnormal termination)\n", null)]
    [InlineData("", null)]
    public void OutcomeOf_SupervisorctlOutput_ReadsTheProgramsLastLine(string stdout, CommandOutcome? expected)
    {
        // Arrange: start/stop/restart print one line per step and exit 0 even for their errors (supervisor 4.2.5, fixture).
        var result = new CommandResult { Command = "sudo -n /usr/bin/supervisorctl start odoo", ExitCode = 0, Stdout = stdout };

        // Act / Assert
        Assert.True(_supervisor.CommandsReportOutcome);
        Assert.Equal(expected, _supervisor.OutcomeOf("odoo", result));
    }

    [Fact]
    public void OutcomeOf_TimedOut_ProvesNothing()
    {
        var result = new CommandResult { Command = "sudo -n /usr/bin/supervisorctl stop odoo", TimedOut = true, Stdout = "odoo: stopped\n" };

        Assert.Null(_supervisor.OutcomeOf("odoo", result));
    }
}
