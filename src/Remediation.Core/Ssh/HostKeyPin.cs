namespace Remediation.Ssh;

/// <summary>Compares a presented host key fingerprint with the pinned OpenSSH <c>SHA256:base64</c> form.</summary>
internal static class HostKeyPin
{
    public const string Prefix = "SHA256:";

    /// <summary>
    /// "SHA256:" plus base64 without '=' padding, which is how both <c>ssh-keygen -l</c> and SSH.NET print it;
    /// padding is trimmed anyway because inventories get written by hand.
    /// </summary>
    public static string Normalise(string fingerprint)
    {
        string value = fingerprint.Trim();
        if (value.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            value = value[Prefix.Length..];
        }

        return Prefix + value.TrimEnd('=');
    }

    public static bool IsWellFormed(string pinned)
    {
        string value = pinned.Trim();
        if (!value.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        string base64 = value[Prefix.Length..].TrimEnd('=');
        Span<byte> digest = stackalloc byte[48];
        string padded = base64 + new string('=', (4 - (base64.Length % 4)) % 4);

        // A SHA-256 digest is 32 bytes: 43 base64 characters without padding.
        return base64.Length == 43 && Convert.TryFromBase64String(padded, digest, out int written) && written == 32;
    }

    /// <summary>Base64 is case-sensitive, so the comparison is ordinal.</summary>
    public static bool Matches(string pinned, string presented) =>
        string.Equals(Normalise(pinned), Normalise(presented), StringComparison.Ordinal);
}
