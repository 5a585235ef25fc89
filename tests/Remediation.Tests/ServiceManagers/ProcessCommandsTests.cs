using Remediation.ServiceManagers;
using Remediation.Ssh;
using Xunit;

namespace Remediation.Tests.ServiceManagers;

[Trait("Category", "Unit")]
public sealed class ProcessCommandsTests
{
    [Fact]
    public void FindLeftovers_UserAndPattern_IsPgrepLimitedToUser()
    {
        // Act
        RemoteCommand command = ProcessCommands.FindLeftovers("odoo", "odoo-bin");

        // Assert
        Assert.Equal("/usr/bin/pgrep -a -u odoo -f odoo-bin", command.ToString());
    }

    [Fact]
    public void KillLeftovers_UserAndPattern_IsSudoPkillKillLimitedToUser()
    {
        // Act
        RemoteCommand command = ProcessCommands.KillLeftovers("odoo", "odoo-bin");

        // Assert
        Assert.Equal("sudo -n /usr/bin/pkill -KILL -u odoo -f odoo-bin", command.ToString());
    }

    [Fact]
    public void ParseLeftovers_PgrepRows_PidAndCommandLine()
    {
        // Arrange: captured from the fixture.
        var result = new CommandResult
        {
            Command = "/usr/bin/pgrep -a -u odoo -f odoo-bin",
            ExitCode = 0,
            Stdout = "7024 /usr/bin/python3 /opt/odoo-standin/odoo-bin -c /etc/odoo/odoo.conf\n7031 /usr/bin/python3 /opt/odoo-standin/odoo-bin --worker\n",
        };

        // Act
        IReadOnlyList<LeftoverProcess> processes = ProcessCommands.ParseLeftovers(result);

        // Assert
        Assert.Equal(
            [
                new LeftoverProcess(7024, "/usr/bin/python3 /opt/odoo-standin/odoo-bin -c /etc/odoo/odoo.conf"),
                new LeftoverProcess(7031, "/usr/bin/python3 /opt/odoo-standin/odoo-bin --worker"),
            ],
            processes);
    }

    [Fact]
    public void ParseLeftovers_ExitOneNoOutput_Empty()
    {
        // Arrange
        var result = new CommandResult { Command = "/usr/bin/pgrep -a -u odoo -f nonsense", ExitCode = 1 };

        // Act
        IReadOnlyList<LeftoverProcess> processes = ProcessCommands.ParseLeftovers(result);

        // Assert
        Assert.Empty(processes);
    }

    [Fact]
    public void ParseLeftovers_UnknownUser_Throws()
    {
        // Arrange: captured from the fixture, exit 2.
        var result = new CommandResult { Command = "/usr/bin/pgrep -a -u nosuchuser -f x", ExitCode = 2, Stderr = "pgrep: invalid user name: nosuchuser\n" };

        // Act
        var error = Assert.Throws<ServiceManagerException>(() => ProcessCommands.ParseLeftovers(result));

        // Assert
        Assert.Contains("invalid user name: nosuchuser", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(1, false)]
    public void ParseKill_ExitCode_KilledOrNoneMatched(int exitCode, bool expected)
    {
        // Arrange
        var result = new CommandResult { Command = "sudo -n /usr/bin/pkill -KILL -u odoo -f odoo-bin", ExitCode = exitCode };

        // Act
        bool killed = ProcessCommands.ParseKill(result);

        // Assert
        Assert.Equal(expected, killed);
    }

    [Fact]
    public void ParseKill_SudoRefused_ThrowsNamingTheDropIn()
    {
        // Arrange: captured from the fixture (a pattern the drop-in does not list).
        var result = new CommandResult { Command = "sudo -n /usr/bin/pkill -KILL -u odoo -f nonsense", ExitCode = 1, Stderr = "sudo: a password is required\n" };

        // Act
        var error = Assert.Throws<ServiceManagerException>(() => ProcessCommands.ParseKill(result));

        // Assert
        Assert.Contains("sudoers drop-in", error.Message, StringComparison.Ordinal);
    }
}
