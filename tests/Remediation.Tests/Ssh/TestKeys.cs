using System.Diagnostics;

namespace Remediation.Tests.Ssh;

/// <summary>Throwaway client keys for tests that must present a key nobody authorised.</summary>
internal static class TestKeys
{
    private static readonly Lazy<string> Key = new(Generate);

    /// <summary>An unencrypted OpenSSH ed25519 private key in a private temp directory (generated once per test run).</summary>
    public static string WriteThrowawayEd25519Key() => Key.Value;

    private static string Generate()
    {
        string directory = Directory.CreateTempSubdirectory("remediation-tests-key-").FullName;
        string path = Path.Combine(directory, "id_ed25519");
        using Process process = Process.Start(new ProcessStartInfo("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "remediation-tests", "-f", path])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("ssh-keygen did not start.");
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException("ssh-keygen failed: " + process.StandardError.ReadToEnd());
        }

        return path;
    }
}
