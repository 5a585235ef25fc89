using Remediation.Ssh;
using Xunit;

namespace Remediation.Tests.Ssh;

[Trait("Category", "Unit")]
public sealed class CommandResultTests
{
    [Fact]
    public void Summary_SupervisorRestart_JoinsItsLines()
    {
        var result = new CommandResult { Command = "sudo -n /usr/bin/supervisorctl restart odoo", ExitCode = 0, Stdout = "odoo: stopped\nodoo: started\n" };

        Assert.Equal("`sudo -n /usr/bin/supervisorctl restart odoo` exited 0: odoo: stopped; odoo: started", result.Summary());
    }

    [Fact]
    public void Summary_StderrPresent_PrefersStderr()
    {
        var result = new CommandResult { Command = "sudo -n /usr/sbin/nginx -t", ExitCode = 1, Stdout = "", Stderr = "nginx: [emerg] unknown directive \"proxy_pas\"\nnginx: configuration file /etc/nginx/nginx.conf test failed\n" };

        Assert.Equal("`sudo -n /usr/sbin/nginx -t` exited 1: nginx: [emerg] unknown directive \"proxy_pas\"; nginx: configuration file /etc/nginx/nginx.conf test failed", result.Summary());
    }

    [Fact]
    public void Summary_TimedOut_SaysSo()
    {
        var result = new CommandResult { Command = "sudo -n /usr/bin/supervisorctl restart odoo", TimedOut = true };

        Assert.Equal("`sudo -n /usr/bin/supervisorctl restart odoo` timed out", result.Summary());
    }
}
