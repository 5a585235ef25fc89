using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Remediation.Probes;
using Remediation.ServiceManagers;
using Remediation.Ssh;
using Xunit;

namespace Remediation.Tests.Probes;

[Trait("Category", "Unit")]
public sealed class SshAndProbesServiceCollectionExtensionsTests
{
    [Fact]
    public void AddSshAndProbes_NoConfiguration_ResolvesEverythingAsSingletons()
    {
        // Arrange
        using ServiceProvider services = new ServiceCollection().AddLogging().AddSshAndProbes().BuildServiceProvider(validateScopes: true);

        // Act / Assert
        Assert.IsType<PooledSshConnector>(services.GetRequiredService<ISshConnector>());
        Assert.IsType<ServiceManagerProvider>(services.GetRequiredService<IServiceManagerProvider>());
        Assert.Same(services.GetRequiredService<OdooDatabase>(), services.GetRequiredService<OdooDatabase>());
        Assert.NotNull(services.GetRequiredService<ReadinessChecker>());
        Assert.NotNull(services.GetRequiredService<LogScanner>());
        Assert.Equal(TimeSpan.FromSeconds(10), services.GetRequiredService<IOptions<SshOptions>>().Value.ConnectTimeout);
        Assert.Equal(64 * 1024, services.GetRequiredService<IOptions<SshOptions>>().Value.MaxOutputBytes);
    }

    [Fact]
    public void AddSshAndProbes_Configuration_BindsOptions()
    {
        // Arrange
        IConfiguration configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Remediation:Ssh:ConnectTimeout"] = "00:00:03",
                ["Remediation:Ssh:MaxOutputBytes"] = "1024",
                ["Remediation:Database:CommandTimeout"] = "00:00:07",
            })
            .Build();
        using ServiceProvider services = new ServiceCollection().AddLogging().AddSingleton(configuration).AddSshAndProbes().BuildServiceProvider();

        // Act
        SshOptions ssh = services.GetRequiredService<IOptions<SshOptions>>().Value;
        OdooDatabaseOptions database = services.GetRequiredService<IOptions<OdooDatabaseOptions>>().Value;

        // Assert
        Assert.Equal(TimeSpan.FromSeconds(3), ssh.ConnectTimeout);
        Assert.Equal(1024, ssh.MaxOutputBytes);
        Assert.Equal(TimeSpan.FromSeconds(7), database.CommandTimeout);
    }
}
