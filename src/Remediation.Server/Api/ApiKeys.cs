using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Remediation.Intake;

namespace Remediation.Server.Api;

/// <summary>The API keys callers present, loaded once; compared in constant time so a key cannot be guessed byte by byte.</summary>
/// <remarks>
/// File format, one key a line (# comments): <c>name:key</c> — every role, every procedure, as before — optionally
/// followed, after blanks, by <c>read-only</c>, <c>roles=read,operate,approve</c> (any of them) and
/// <c>procedures=restart-service,verify</c> (the procedures the key may start, cancel, terminate or decide on).
/// </remarks>
public sealed class ApiKeys
{
    /// <summary>Shorter keys can be brute-forced over the network.</summary>
    public const int MinimumKeyLength = 32;

    private readonly IReadOnlyList<(RequestCaller Caller, byte[] Hash)> _keys;

    public ApiKeys(IOptions<ApiKeyOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string? file = options.Value.KeysFile;
        _keys = string.IsNullOrWhiteSpace(file) ? [] : Load(file);
    }

    /// <summary>True when keys are configured and calls must present one.</summary>
    public bool Required => _keys.Count > 0;

    /// <summary>The caller's name when <paramref name="presented"/> is one of the keys.</summary>
    public string? Authenticate(string presented) => Identify(presented)?.Name;

    /// <summary>The caller (name, roles, procedures) whose key <paramref name="presented"/> is; null when it is none of them.</summary>
    public RequestCaller? Identify(string presented)
    {
        ArgumentNullException.ThrowIfNull(presented);
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        RequestCaller? caller = null;
        foreach ((RequestCaller keyCaller, byte[] keyHash) in _keys)
        {
            // No early exit: the time taken does not depend on which key (if any) matched.
            if (CryptographicOperations.FixedTimeEquals(hash, keyHash))
            {
                caller = keyCaller;
            }
        }

        return caller;
    }

    /// <summary>Parses a keys file; throws with the file, line and problem (never the key itself).</summary>
    public static IReadOnlyList<(RequestCaller Caller, byte[] Hash)> Load(string file)
    {
        if (!File.Exists(file))
        {
            throw new InvalidOperationException($"Api:KeysFile '{file}' does not exist.");
        }

        var keys = new List<(RequestCaller, byte[])>();
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
            string[] rest = colon > 0 ? line[(colon + 1)..].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries) : [];
            string key = rest.Length > 0 ? rest[0] : "";
            if (name.Length == 0 || key.Length < MinimumKeyLength)
            {
                throw new InvalidOperationException(
                    $"Api:KeysFile '{file}' line {i + 1}: expected 'name:key' with a key of at least {MinimumKeyLength} characters (e.g. from `openssl rand -hex 32`).");
            }

            keys.Add((Limits(file, i + 1, name, rest.Skip(1)), SHA256.HashData(Encoding.UTF8.GetBytes(key))));
        }

        return keys.Count > 0 ? keys : throw new InvalidOperationException($"Api:KeysFile '{file}' holds no keys.");
    }

    private static RequestCaller Limits(string file, int line, string name, IEnumerable<string> options)
    {
        ApiRoles roles = ApiRoles.All;
        IReadOnlyList<string>? procedures = null;
        foreach (string option in options)
        {
            if (option == "read-only")
            {
                roles = ApiRoles.Read;
            }
            else if (option.StartsWith("roles=", StringComparison.Ordinal))
            {
                roles = ApiRoles.None;
                foreach (string role in option["roles=".Length..].Split(',', StringSplitOptions.RemoveEmptyEntries))
                {
                    roles |= ApiRoleNames.Parse(role) ?? throw new InvalidOperationException(
                        $"Api:KeysFile '{file}' line {line}: unknown role '{role}' (use {string.Join(", ", ApiRoleNames.All)}).");
                }
            }
            else if (option.StartsWith("procedures=", StringComparison.Ordinal))
            {
                string[] names = option["procedures=".Length..].Split(',', StringSplitOptions.RemoveEmptyEntries);
                string? unknown = names.FirstOrDefault(p => ProcedureCatalog.Find(p) is null);
                if (names.Length == 0 || unknown is not null)
                {
                    throw new InvalidOperationException(
                        $"Api:KeysFile '{file}' line {line}: '{unknown}' is not a known procedure (known: {string.Join(", ", ProcedureCatalog.All.Select(p => p.Name))}).");
                }

                procedures = names;
            }
            else
            {
                throw new InvalidOperationException(
                    $"Api:KeysFile '{file}' line {line}: unknown option after the key (use read-only, roles=read,operate,approve or procedures=restart-service,...).");
            }
        }

        return new RequestCaller(name, roles, procedures);
    }
}
