using Xunit;

namespace Remediation.Tests.Audit;

[Trait("Category", "Unit")]
public sealed class SecretScannerTests : IDisposable
{
    private const string KeyLine = "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW";
    private readonly string _directory = Directory.CreateTempSubdirectory("secret-scanner").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Scan_PlantedPasswordAndKeyLine_AreHitsNamingWhereButNotTheSecret()
    {
        string password = File(_directory, "db-password", "Zq8uYc3rLm0pXw7tKd2sVb9n\n");
        string key = File(_directory, "client_ed25519", $"-----BEGIN OPENSSH PRIVATE KEY-----\n{KeyLine}\nQyNTUxOQAAACBmZ3nRrQ9a1oVbqkqzL0v\n-----END OPENSSH PRIVATE KEY-----\n");
        string log = File(_directory, "server.log", "info: started\nconnecting with password Zq8uYc3rLm0pXw7tKd2sVb9n\ninfo: done\n");
        var scanner = new SecretScanner(SecretScanner.PasswordFile(password).Concat(SecretScanner.PrivateKeyFile(key)));

        scanner.ScanLogFile(log);
        scanner.ScanBlob("restart-logs/x.md", "evidence: " + KeyLine);
        scanner.ScanEntity("remediationHistory/abc", "{\"Input\":\"fine\"}");

        Assert.Equal(3, scanner.Secrets);
        Assert.Equal([$"{log}:2: {password}", $"restart-logs/x.md: {key} line 2"], scanner.Hits);
        Assert.All(scanner.Hits, hit => Assert.DoesNotContain("Zq8uYc3rLm0pXw7tKd2sVb9n", hit, StringComparison.Ordinal));
        Assert.Equal((1, 1, 3), (scanner.Blobs, scanner.Entities, scanner.LogLines));
    }

    [Fact]
    public void Scan_CleanText_HasNoHits()
    {
        string password = File(_directory, "db-password", "Zq8uYc3rLm0pXw7tKd2sVb9n");
        var scanner = new SecretScanner(SecretScanner.PasswordFile(password));

        scanner.ScanMessage("control-00", "{\"event\":\"TaskScheduled\"}");

        Assert.Empty(scanner.Hits);
        Assert.Equal(1, scanner.Messages);
    }

    [Fact]
    public void New_OnlyArmourOrShortSecrets_Refuses()
    {
        string key = File(_directory, "key", "-----BEGIN OPENSSH PRIVATE KEY-----\n-----END OPENSSH PRIVATE KEY-----\n");
        string shortPassword = File(_directory, "pw", "abc");

        Assert.Throws<ArgumentException>(() => new SecretScanner(SecretScanner.PrivateKeyFile(key).Concat(SecretScanner.PasswordFile(shortPassword))));
    }

    private static string File(string directory, string name, string text)
    {
        string path = Path.Combine(directory, name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }
}
