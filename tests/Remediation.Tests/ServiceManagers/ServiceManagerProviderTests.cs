using Remediation.Inventory;
using Remediation.ServiceManagers;
using Xunit;

namespace Remediation.Tests.ServiceManagers;

[Trait("Category", "Unit")]
public sealed class ServiceManagerProviderTests
{
    [Theory]
    [InlineData(ServiceManagerKind.Systemd, typeof(SystemdServiceManager))]
    [InlineData(ServiceManagerKind.Supervisor, typeof(SupervisorServiceManager))]
    public void For_Kind_ReturnsThatManager(ServiceManagerKind kind, Type expected)
    {
        // Arrange
        var provider = new ServiceManagerProvider();

        // Act
        IServiceManager manager = provider.For(kind);

        // Assert
        Assert.IsType(expected, manager);
    }
}
