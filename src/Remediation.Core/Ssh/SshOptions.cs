namespace Remediation.Ssh;

/// <summary>How SSH sessions to targets connect, how long a pooled connection stays open, and how much command output they keep.</summary>
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

    /// <summary>
    /// A pooled connection no activity has leased for this long is closed; the next lease opens a new one.
    /// Long enough to span one remediation's activities, short enough not to keep idle sessions on every target.
    /// </summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Commands (SSH channels) that may run at once on one pooled connection; more wait for a free one.
    /// Below OpenSSH's per-connection limit (sshd <c>MaxSessions</c>, default 10) so that a channel the server has
    /// not finished closing yet never makes the next one fail.
    /// </summary>
    public int MaxChannelsPerConnection { get; set; } = 8;
}
