using Microsoft.Extensions.Logging.Abstractions;
using Remediation.Activities.Services;
using Remediation.Inventory;
using Remediation.ServiceManagers;
using Remediation.Tests.Probes;
using Xunit;

namespace Remediation.Tests.Activities.Services;

[Trait("Category", "Unit")]
public sealed class ServiceStatusReaderTests
{
    private const string StatusAll = "sudo -n /usr/bin/supervisorctl status all";

    // The fixture's listing (supervisor 4.2.5) with every program running.
    private const string Listing =
        "nginx                            RUNNING   pid 3141, uptime 0:10:02\n"
        + "odoo                             RUNNING   pid 2718, uptime 0:00:07\n"
        + "postgresql                       RUNNING   pid 1618, uptime 0:10:03\n";

    private static readonly TargetDefinition Demo = new()
    {
        Name = "demo",
        Address = "127.0.0.1",
        ServiceManager = ServiceManagerKind.Supervisor,
        Services =
        [
            new ServiceDefinition { Name = "nginx", Kind = ServiceKind.Nginx, DependsOn = ["odoo"] },
            new ServiceDefinition { Name = "odoo", Kind = ServiceKind.Odoo, DependsOn = ["postgresql"] },
            new ServiceDefinition { Name = "postgresql", Kind = ServiceKind.Postgresql },
        ],
    };

    private readonly ServiceStatusReader _reader = new(new ServiceManagerProvider(), NullLogger<ServiceStatusReader>.Instance);

    [Fact]
    public async Task ReadAllAsync_Supervisor_OneCommandForEveryServiceInStartOrder()
    {
        // Arrange
        var session = new ScriptedSession().On(StatusAll, 0, Listing);

        // Act
        IReadOnlyList<ServiceStatusReport> reports = await _reader.ReadAllAsync(session, Demo, CancellationToken.None);

        // Assert
        Assert.Equal([StatusAll], session.Ran);
        Assert.Equal(["postgresql", "odoo", "nginx"], reports.Select(r => r.Service));
        Assert.Equal([1618, 2718, 3141], reports.Select(r => r.Status.MainPid));
    }

    [Fact]
    public async Task ReadAllAsync_DropInWithoutStatusAll_FallsBackToOneReadPerServiceAndRemembers()
    {
        // Arrange: a target onboarded with the drop-in of before `status all`.
        var session = new ScriptedSession()
            .On(StatusAll, 1, "", "sudo: a password is required\n")
            .On("sudo -n /usr/bin/supervisorctl status postgresql", 0, "postgresql                       RUNNING   pid 1618, uptime 0:10:03\n")
            .On("sudo -n /usr/bin/supervisorctl status odoo", 0, "odoo                             RUNNING   pid 2718, uptime 0:00:07\n")
            .On("sudo -n /usr/bin/supervisorctl status nginx", 0, "nginx                            RUNNING   pid 3141, uptime 0:10:02\n");

        // Act
        IReadOnlyList<ServiceStatusReport> first = await _reader.ReadAllAsync(session, Demo, CancellationToken.None);
        session.Ran.Clear();
        IReadOnlyList<ServiceStatusReport> second = await _reader.ReadAllAsync(session, Demo, CancellationToken.None);

        // Assert
        Assert.Equal([1618, 2718, 3141], first.Select(r => r.Status.MainPid));
        Assert.Equal([1618, 2718, 3141], second.Select(r => r.Status.MainPid));
        Assert.DoesNotContain(StatusAll, session.Ran);
        Assert.Equal(3, session.Ran.Count);
    }

    [Fact]
    public async Task ReadAllAsync_ServiceMissingFromListing_Throws()
    {
        // Arrange
        var session = new ScriptedSession().On(StatusAll, 0, Listing.Replace("odoo ", "odoo2", StringComparison.Ordinal));

        // Act / Assert
        var error = await Assert.ThrowsAsync<ServiceManagerException>(() => _reader.ReadAllAsync(session, Demo, CancellationToken.None));
        Assert.StartsWith("program odoo is not configured in supervisor on this target", error.Message, StringComparison.Ordinal);
    }
}
