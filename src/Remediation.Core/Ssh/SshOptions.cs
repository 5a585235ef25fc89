namespace Remediation.Ssh;

/// <summary>How SSH sessions to targets connect and how much command output they keep.</summary>
public sealed class SshOptions
{
    /// <summary>Configuration section bound by <c>AddSshAndProbes</c>.</summary>
    public const string SectionName = "Remediation:Ssh";

    /// <summary>TCP connect plus key exchange plus authentication must finish within this.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Bytes kept per stream (stdout, stderr) of one command; the rest is read and dropped.</summary>
    public int MaxOutputBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// Keep-alive interval; a long readiness wait between two commands must not let a NAT or firewall
    /// forget the connection. Zero or negative disables it.
    /// </summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(15);
}
