using Microsoft.DurableTask;
using Remediation.Inventory;
using Remediation.Ssh;

namespace Remediation.Activities.Nginx;

/// <summary>Runbook §3 "Test configuration before restart": <c>sudo nginx -t</c>. Read-only: it changes nothing on the target.</summary>
public sealed class TestNginxConfigActivity : TaskActivity<ServiceRef, ConfigTestResult>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly Inventory.Inventory _inventory;
    private readonly ISshConnector _ssh;

    public TestNginxConfigActivity(Inventory.Inventory inventory, ISshConnector ssh)
    {
        _inventory = inventory;
        _ssh = ssh;
    }

    public static RemoteCommand ConfigTest() => RemoteCommand.RunAsRoot("/usr/sbin/nginx", "-t");

    public override async Task<ConfigTestResult> RunAsync(TaskActivityContext context, ServiceRef input)
    {
        TargetDefinition target = _inventory.GetTarget(input.Target);
        ServiceDefinition service = target.GetService(input.Service);
        if (!service.ConfigTest)
        {
            return new ConfigTestResult(true, "", $"{service.Name} has no config test in the inventory (configTest: false); not tested");
        }

        await using ISshSession ssh = await _ssh.ConnectAsync(target, CancellationToken.None);
        CommandResult result = await ssh.RunAsync(ConfigTest(), Timeout, CancellationToken.None);
        if (SudoRefusal.IsRefused(result))
        {
            throw new InvalidOperationException(SudoRefusal.Explain(result));
        }

        string output = string.Join('\n', new[] { result.Stderr, result.Stdout }.Where(t => !string.IsNullOrWhiteSpace(t))).Trim();
        return new ConfigTestResult(result.Succeeded, result.Command, output.Length > 0 ? output : result.Summary());
    }
}
