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
        Assert.Equal(TimeSpan.FromMinutes(2), services.GetRequiredService<IOptions<SshOptions>>().Value.IdleTimeout);
        Assert.Equal(8, services.GetRequiredService<IOptions<SshOptions>>().Value.MaxChannelsPerConnection);
    }

    [Fact]
    public async Task AddSshAndProbes_ProviderDisposed_PoolDisposedAndRefusesLeases()
    {
        // Arrange: what host shutdown does to the root provider.
        ServiceProvider services = new ServiceCollection().AddLogging().AddSshAndProbes().BuildServiceProvider();
        ISshConnector pool = services.GetRequiredService<ISshConnector>();

        // Act
        await services.DisposeAsync();

        // Assert
        await Assert.ThrowsAsync<ObjectDisposedException>(() => pool.ConnectAsync(new Remediation.Inventory.TargetDefinition { Name = "demo" }, CancellationToken.None));
    }

    [Theory]
    [InlineData("Remediation:Ssh:IdleTimeout", "00:00:00")]
    [InlineData("Remediation:Ssh:MaxChannelsPerConnection", "0")]
    public void AddSshAndProbes_NonPositivePoolOption_FailsValidation(string key, string value)
    {
        // Arrange
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();
        using ServiceProvider services = new ServiceCollection().AddLogging().AddSingleton(configuration).AddSshAndProbes().BuildServiceProvider();

        // Act / Assert
        Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<SshOptions>>().Value);
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
                ["Remediation:Ssh:IdleTimeout"] = "00:00:45",
                ["Remediation:Ssh:MaxChannelsPerConnection"] = "4",
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
        Assert.Equal(TimeSpan.FromSeconds(45), ssh.IdleTimeout);
        Assert.Equal(4, ssh.MaxChannelsPerConnection);
        Assert.Equal(TimeSpan.FromSeconds(7), database.CommandTimeout);
    }
}
