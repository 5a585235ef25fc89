using Microsoft.DurableTask.Client;
using Remediation.Procedures.ReloadNginx;
using Remediation.Runs;
using Xunit;

namespace Remediation.Tests.Procedures;

/// <summary>reload-nginx (runbook §3) with the real activities against a simulated supervisor host.</summary>
[Trait("Category", "Orchestration")]
public sealed class ReloadNginxOrchestratorTests
{
    [Fact]
    public async Task RunAsync_ConfigTestFails_SendsNoReloadOrRestartAndFailsWithTheErrorText()
    {
        await using var target = new SimulatedTarget { NginxConfigError = "unknown directive \"proxy_passs\" in /etc/nginx/sites-enabled/odoo:12" };
        await using ProcedureHost host = await ProcedureHost.StartAsync(target);
        int master = target.Nginx.Pid!.Value;

        (OrchestrationMetadata run, _) = await host.RunAsync<ReloadNginxOrchestrator>(Request());

        Assert.Equal(OrchestrationRuntimeStatus.Failed, run.RuntimeStatus);
        Assert.Empty(target.Changes);
        Assert.Contains("sudo -n /usr/sbin/nginx -t", target.Commands);
        Assert.DoesNotContain(target.Commands, c => c.Contains("signal", StringComparison.Ordinal) || c.Contains("restart", StringComparison.Ordinal) || c.Contains("stop", StringComparison.Ordinal) || c.Contains(" start ", StringComparison.Ordinal));
        Assert.Equal(master, target.Nginx.Pid);
        RunRecord filed = Assert.Single(host.Artifacts.Filed);
        Assert.Equal(RunOutcome.Failed, filed.Outcome);
        Assert.Contains(filed.Issues, i => i.Contains("unknown directive \"proxy_passs\"", StringComparison.Ordinal));
        Assert.Contains(filed.Steps, s => s.Name == "Reload" && s.Status == StepStatus.Skipped);
        Assert.Equal(ServiceAction.None, filed.ChangeOf("nginx")!.Action);
        // nginx's error text, escaped as markdown like everything the target supplies.
        Assert.Contains(@"proxy\_passs", host.Artifacts.LastRestartLog, StringComparison.Ordinal);
        Assert.Null(host.Locks.HolderOf(SimulatedTarget.Name));
    }

    [Fact]
    public async Task RunAsync_GoodConfig_SignalsHupKeepsMasterReplacesWorkersWithZeroDowntime()
    {
        await using var target = new SimulatedTarget();
        await using ProcedureHost host = await ProcedureHost.StartAsync(target);
        int master = target.Nginx.Pid!.Value;
        List<int> workersBefore = [.. target.Nginx.Workers];

        (OrchestrationMetadata run, RunRecord? record) = await host.RunAsync<ReloadNginxOrchestrator>(Request());

        Assert.True(run.RuntimeStatus == OrchestrationRuntimeStatus.Completed, run.FailureDetails?.ErrorMessage);
        Assert.NotNull(record);
        Assert.Equal(RunOutcome.Succeeded, record.Outcome);
        Assert.Equal(["signal HUP nginx"], target.Changes);
        Assert.Equal(master, target.Nginx.Pid);
        Assert.NotEmpty(target.Nginx.Workers);
        Assert.Empty(target.Nginx.Workers.Intersect(workersBefore));
        ServiceChange nginx = record.ChangeOf("nginx")!;
        Assert.Equal(ServiceAction.Reload, nginx.Action);
        Assert.Equal(master, nginx.PidBefore);
        Assert.Equal(master, nginx.PidAfter);
        Assert.Equal(0, nginx.DowntimeSeconds);
        Assert.Equal(0, record.DowntimeSeconds);
        Assert.Contains($"master pid {master} kept", record.Steps.Single(s => s.Name == "Reload").Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ModeRestart_SendsTheRestartCommand()
    {
        await using var target = new SimulatedTarget();
        await using ProcedureHost host = await ProcedureHost.StartAsync(target);
        int master = target.Nginx.Pid!.Value;

        (_, RunRecord? record) = await host.RunAsync<ReloadNginxOrchestrator>(Request() with { Mode = ReloadNginxRequest.RestartMode });

        Assert.NotNull(record);
        Assert.Equal(RunOutcome.Succeeded, record.Outcome);
        Assert.Equal(["restart nginx"], target.Changes);
        Assert.Contains("sudo -n /usr/bin/supervisorctl restart nginx", target.Commands);
        ServiceChange nginx = record.ChangeOf("nginx")!;
        Assert.Equal(ServiceAction.Restart, nginx.Action);
        Assert.Equal(master, nginx.PidBefore);
        Assert.NotEqual(master, nginx.PidAfter);
        Assert.InRange(nginx.DowntimeSeconds!.Value, 0.01, 2);
    }

    private static ReloadNginxRequest Request() =>
        new() { Target = SimulatedTarget.Name, Service = "nginx", Reason = "new vhost", RequestedBy = "alice" };
}
