namespace Remediation.Inventory;

/// <summary>A host the runbook runs against: how to reach it over SSH and what runs on it.</summary>
public sealed record TargetDefinition
{
    public string Name { get; init; } = "";
    public string Address { get; init; } = "";
    public int SshPort { get; init; } = 22;
    public string SshUser { get; init; } = "";

    /// <summary>Pinned host key fingerprint in OpenSSH form, <c>SHA256:base64</c>.</summary>
    public string HostKey { get; init; } = "";

    /// <summary>The host key algorithm offered to the server, so the key it presents is the pinned one.</summary>
    public string HostKeyAlgorithm { get; init; } = "ssh-ed25519";

    /// <summary>Private key used to authenticate (OpenSSH format file).</summary>
    public string PrivateKeyFile { get; init; } = "";

    public ServiceManagerKind ServiceManager { get; init; } = ServiceManagerKind.Systemd;

    public DatabaseEndpoint? Database { get; init; }

    public IReadOnlyList<ServiceDefinition> Services { get; init; } = [];

    public ServiceDefinition? FindService(string name) =>
        Services.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.Ordinal));

    public ServiceDefinition GetService(string name) =>
        FindService(name) ?? throw new InventoryException($"service '{name}' is not defined for target '{Name}'");

    /// <summary>Where to say this target is in a message: "odoo-prod-1 (10.0.0.5:22)".</summary>
    public string Describe() => $"{Name} ({Address}:{SshPort})";
}
