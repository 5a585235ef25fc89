using Remediation.ServiceManagers;
using Remediation.Ssh;
using Remediation.Tests.Fixture;

namespace Remediation.Tests.ServiceManagers;

/// <summary>
/// Reads a program's status over SSH until it is RUNNING with the pid supervisor reports locally. The fixture is
/// shared with other test runs that restart services, so one read may see STARTING.
/// </summary>
internal static class RunningStatus
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(15);

    public static async Task<(CommandResult Result, ServiceStatus Status)> ReadAsync(ISshSession session, IServiceManager manager, string program)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(45);
        while (true)
        {
            CommandResult result = await session.RunAsync(manager.Status(program), CommandTimeout, CancellationToken.None);
            ServiceStatus status = manager.ParseStatus(program, result);
            if (status.State == ServiceState.Running && status.MainPid == await TargetHostFixture.GetSupervisorPidAsync(program))
            {
                return (result, status);
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{program} is not RUNNING within 45 s; last status: {status}");
            }

            await Task.Delay(100);
        }
    }
}
