using Remediation.Ssh;
using Xunit;

namespace Remediation.Tests.Ssh;

[Trait("Category", "Unit")]
public sealed class SudoRefusalTests
{
    [Fact]
    public void IsRefused_PasswordRequiredFromSudo_True()
    {
        // Arrange: captured from the fixture, `sudo -n /usr/bin/supervisorctl status nosuch` as ops.
        var result = new CommandResult
        {
            Command = "sudo -n /usr/bin/supervisorctl status nosuch",
            ExitCode = 1,
            Stderr = "sudo: a password is required\n",
        };

        // Act
        bool refused = SudoRefusal.IsRefused(result);
        string explanation = SudoRefusal.Explain(result);

        // Assert
        Assert.True(refused);
        Assert.Contains("`sudo -n /usr/bin/supervisorctl status nosuch` is not allowed by the sudoers drop-in (infra/target/sudoers.d/remediation)", explanation, StringComparison.Ordinal);
        Assert.Contains("sudo: a password is required", explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void IsRefused_CommandWithoutSudoFailing_False()
    {
        // Arrange
        var result = new CommandResult { Command = "/usr/bin/pgrep -a -u odoo -f x", ExitCode = 1, Stderr = "a password is required" };

        // Act
        bool refused = SudoRefusal.IsRefused(result);

        // Assert
        Assert.False(refused);
    }

    [Fact]
    public void IsRefused_AllowedCommandExitingOne_False()
    {
        // Arrange: pkill found nothing; sudo allowed it.
        var result = new CommandResult { Command = "sudo -n /usr/bin/pkill -KILL -u odoo -f odoo-bin", ExitCode = 1 };

        // Act
        bool refused = SudoRefusal.IsRefused(result);

        // Assert
        Assert.False(refused);
    }
}
