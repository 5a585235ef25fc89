using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Remediation.Server.Api;

/// <summary>The API keys callers present, loaded once; compared in constant time so a key cannot be guessed byte by byte.</summary>
public sealed class ApiKeys
{
    /// <summary>Shorter keys can be brute-forced over the network.</summary>
    public const int MinimumKeyLength = 32;

    private readonly IReadOnlyList<(string Name, byte[] Hash)> _keys;

    public ApiKeys(IOptions<ApiKeyOptions> options)
    {
        string? file = options.Value.KeysFile;
        _keys = string.IsNullOrWhiteSpace(file) ? [] : Load(file);
    }

    /// <summary>True when keys are configured and calls must present one.</summary>
    public bool Required => _keys.Count > 0;

    /// <summary>The caller's name when <paramref name="presented"/> is one of the keys.</summary>
    public string? Authenticate(string presented)
    {
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        string? name = null;
        foreach ((string keyName, byte[] keyHash) in _keys)
        {
            // No early exit: the time taken does not depend on which key (if any) matched.
            if (CryptographicOperations.FixedTimeEquals(hash, keyHash))
            {
                name = keyName;
            }
        }

        return name;
    }

    /// <summary>Parses a keys file; throws with the file, line and problem (never the key itself).</summary>
    public static IReadOnlyList<(string Name, byte[] Hash)> Load(string file)
    {
        if (!File.Exists(file))
        {
            throw new InvalidOperationException($"Api:KeysFile '{file}' does not exist.");
        }

        var keys = new List<(string, byte[])>();
        string[] lines = File.ReadAllLines(file);
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            int colon = line.IndexOf(':', StringComparison.Ordinal);
            string name = colon > 0 ? line[..colon].Trim() : "";
            string key = colon > 0 ? line[(colon + 1)..].Trim() : "";
            if (name.Length == 0 || key.Length < MinimumKeyLength)
            {
                throw new InvalidOperationException(
                    $"Api:KeysFile '{file}' line {i + 1}: expected 'name:key' with a key of at least {MinimumKeyLength} characters (e.g. from `openssl rand -hex 32`).");
            }

            keys.Add((name, SHA256.HashData(Encoding.UTF8.GetBytes(key))));
        }

        return keys.Count > 0 ? keys : throw new InvalidOperationException($"Api:KeysFile '{file}' holds no keys.");
    }
}
