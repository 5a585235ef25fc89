using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Remediation.Server.DurableRuntime;
using Xunit;

namespace Remediation.Tests.Server.DurableRuntime;

[Trait("Category", "Unit")]
public sealed class DurableRuntimeOptionsValidatorTests
{
    private readonly DurableRuntimeOptionsValidator _validator = new();

    [Fact]
    public void Validate_Defaults_Succeeds()
    {
        ValidateOptionsResult result = _validator.Validate(null, new DurableRuntimeOptions());

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Theory]
    [InlineData("lat-p4-100")]
    [InlineData("remediation_hub")]
    [InlineData("1remediation")]
    [InlineData("ab")]
    [InlineData("")]
    [InlineData("a234567890123456789012345678901234567890123456")]
    public void Validate_BadTaskHubName_FailsNamingTheRule(string taskHub)
    {
        ValidateOptionsResult result = _validator.Validate(null, new DurableRuntimeOptions { TaskHubName = taskHub });

        Assert.True(result.Failed);
        Assert.Contains($"Durable:TaskHubName '{taskHub}' is invalid: use 3 to 45 letters and digits, starting with a letter", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("PartitionCount", "0", "Durable:PartitionCount 0 is out of range")]
    [InlineData("PartitionCount", "17", "Durable:PartitionCount 17 is out of range")]
    [InlineData("MaxQueuePollingInterval", "00:00:00", "Durable:MaxQueuePollingInterval must be positive")]
    [InlineData("WorkItemQueueVisibilityTimeout", "00:00:09", "Durable:WorkItemQueueVisibilityTimeout 00:00:09 is out of range: use 10 seconds")]
    [InlineData("ControlQueueVisibilityTimeout", "00:00:04", "Durable:ControlQueueVisibilityTimeout 00:00:04 is out of range: use 5 seconds")]
    [InlineData("LeaseInterval", "00:00:05", "Durable:LeaseInterval 00:00:05 is out of range: use at least three LeaseAcquireInterval (00:00:06)")]
    [InlineData("LeaseInterval", "00:02:00", "Durable:LeaseInterval 00:02:00 is out of range")]
    [InlineData("ControlQueueVisibilityTimeout", "8.00:00:00", "Durable:ControlQueueVisibilityTimeout 8.00:00:00 is out of range")]
    [InlineData("LeaseAcquireInterval", "00:00:30", "Durable:LeaseAcquireInterval 00:00:30 is out of range")]
    [InlineData("SidecarPort", "70000", "Durable:SidecarPort 70000 is not a TCP port")]
    [InlineData("StorageAccountUri", "https://myaccount.queue.core.windows.net", "must be the account's blob endpoint")]
    [InlineData("StorageConnectionString", "", "Durable:StorageConnectionString is empty")]
    public void Validate_BadSetting_FailsWithItsName(string option, string value, string expected)
    {
        DurableRuntimeOptions options = Bind(new() { [$"Durable:{option}"] = value });

        ValidateOptionsResult result = _validator.Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(expected, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_AccountUriWithoutConnectionString_Succeeds()
    {
        DurableRuntimeOptions options = Bind(new()
        {
            ["Durable:StorageAccountUri"] = "https://remediationprod.blob.core.windows.net",
            ["Durable:StorageConnectionString"] = "",
        });

        Assert.True(_validator.Validate(null, options).Succeeded);
    }

    [Fact]
    public async Task StartAsync_BadTaskHubFromEnvironmentStyleKey_FailsBeforeTouchingStorage()
    {
        // Durable__TaskHubName=... arrives as the key "Durable:TaskHubName".
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Durable:TaskHubName"] = "lat-p4-100" });
        builder.Services.AddDurableRuntime();
        using IHost host = builder.Build();

        OptionsValidationException error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Durable:TaskHubName 'lat-p4-100' is invalid", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_EnvironmentOverrides_ReachTheDtfxSettings()
    {
        DurableRuntimeOptions options = Bind(new()
        {
            ["Durable:TaskHubName"] = "remediationci",
            ["Durable:PartitionCount"] = "2",
            ["Durable:MaxQueuePollingInterval"] = "00:00:00.250",
            ["Durable:WorkItemQueueVisibilityTimeout"] = "00:00:30",
            ["Durable:ControlQueueVisibilityTimeout"] = "00:00:45",
            ["Durable:WorkerId"] = "server-7",
            ["Durable:LeaseAcquireInterval"] = "00:00:05",
            ["Durable:LeaseInterval"] = "00:00:20",
        });

        var settings = AzureStorageTaskHubSettings.Create(options, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);

        Assert.Equal("remediationci", settings.TaskHubName);
        Assert.Equal(2, settings.PartitionCount);
        Assert.Equal(TimeSpan.FromMilliseconds(250), settings.MaxQueuePollingInterval);
        Assert.Equal(TimeSpan.FromSeconds(30), settings.WorkItemQueueVisibilityTimeout);
        Assert.Equal(TimeSpan.FromSeconds(45), settings.ControlQueueVisibilityTimeout);
        Assert.Equal("server-7", settings.WorkerId);
        Assert.Equal(TimeSpan.FromSeconds(5), settings.LeaseAcquireInterval);
        Assert.Equal(TimeSpan.FromSeconds(20), settings.LeaseInterval);
        Assert.Equal(TimeSpan.FromSeconds(5), settings.LeaseRenewInterval);
    }

    [Fact]
    public void EffectiveWorkerId_NotConfigured_IsMachineAndProcess()
    {
        Assert.Equal($"{Environment.MachineName}-{Environment.ProcessId}", new DurableRuntimeOptions().EffectiveWorkerId);
    }

    private static DurableRuntimeOptions Bind(Dictionary<string, string?> values)
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var options = new DurableRuntimeOptions();
        configuration.GetSection(DurableRuntimeOptions.Section).Bind(options);
        return options;
    }
}
