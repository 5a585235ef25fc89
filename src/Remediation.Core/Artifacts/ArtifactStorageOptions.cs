namespace Remediation.Artifacts;

/// <summary>Which Blob account receives restart logs (section "Artifacts").</summary>
public sealed class ArtifactStorageOptions
{
    public const string Section = "Artifacts";

    /// <summary>Connection string; the default is the local emulator (Azurite). Ignored when <see cref="ServiceUri"/> is set.</summary>
    public string ConnectionString { get; set; } = "UseDevelopmentStorage=true";

    /// <summary>Blob endpoint of a real account, reached with DefaultAzureCredential (managed identity in Azure).</summary>
    public Uri? ServiceUri { get; set; }
}
