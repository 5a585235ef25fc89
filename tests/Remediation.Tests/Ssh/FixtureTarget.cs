using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Remediation.Inventory;
using Remediation.Ssh;
using Remediation.Tests.Fixture;

namespace Remediation.Tests.Ssh;

/// <summary>The fixture's target as the product's inventory describes it, and connectors pointed at it.</summary>
internal static class FixtureTarget
{
    public static TargetDefinition From(FixtureFacts facts) => new()
    {
        Name = "demo",
        Address = facts.SshHost,
        SshPort = facts.SshPort,
        SshUser = facts.SshUser,
        HostKey = facts.HostKey,
        HostKeyAlgorithm = facts.HostKeyAlgorithm,
        PrivateKeyFile = facts.ClientKeyFile,
        ServiceManager = ServiceManagerKind.Supervisor,
        Database = new DatabaseEndpoint
        {
            Host = facts.PgHost,
            Port = facts.PgPort,
            Name = facts.PgDatabase,
            User = facts.PgUser,
            PasswordFile = facts.PgPasswordFile,
        },
    };

    /// <summary>A pool over <see cref="Connector"/>, as the hosts register it.</summary>
    public static PooledSshConnector Pool(SshOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        SshOptions effective = options ?? new SshOptions();
        ILoggerFactory factory = loggerFactory ?? NullLoggerFactory.Instance;
        return new(Connector(effective, factory), Options.Create(effective), TimeProvider.System, factory.CreateLogger<PooledSshConnector>());
    }

    public static SshNetConnector Connector(SshOptions? options = null, ILoggerFactory? loggerFactory = null) =>
        new(Options.Create(options ?? new SshOptions()), loggerFactory ?? NullLoggerFactory.Instance, TimeProvider.System);
}
