namespace Remediation.Tests.Audit;

/// <summary>
/// Looks for known secrets in text and counts what it looked at, so an audit can fail on a hit and also fail when it
/// scanned too little to mean anything. A hit names where and which secret, never the secret itself.
/// </summary>
internal sealed class SecretScanner
{
    private readonly IReadOnlyList<(string Name, string Value)> _secrets;
    private readonly List<string> _hits = [];

    public SecretScanner(IEnumerable<(string Name, string Value)> secrets)
    {
        _secrets = [.. secrets.Where(s => s.Value.Length >= MinimumLength)];
        if (_secrets.Count == 0)
        {
            throw new ArgumentException("no secret to look for", nameof(secrets));
        }
    }

    /// <summary>Shorter strings would match by chance; every secret the fixture generates is far longer.</summary>
    public const int MinimumLength = 12;

    public IReadOnlyList<string> Hits => _hits;

    public int Secrets => _secrets.Count;

    public int Blobs { get; private set; }

    public int Entities { get; private set; }

    public int Messages { get; private set; }

    public int LogLines { get; private set; }

    /// <summary>The secrets of a file of passwords: its content, trimmed.</summary>
    public static IEnumerable<(string Name, string Value)> PasswordFile(string path) => [(path, File.ReadAllText(path).Trim())];

    /// <summary>Every line of a private key file but its armour (BEGIN/END lines are the same in every key).</summary>
    public static IEnumerable<(string Name, string Value)> PrivateKeyFile(string path) =>
        File.ReadAllLines(path)
            .Select((line, i) => (Name: $"{path} line {i + 1}", Value: line.Trim()))
            .Where(line => line.Value.Length > 0 && !line.Value.StartsWith("-----", StringComparison.Ordinal));

    public void ScanBlob(string where, string text)
    {
        Blobs++;
        Scan(where, text);
    }

    public void ScanEntity(string where, string text)
    {
        Entities++;
        Scan(where, text);
    }

    public void ScanMessage(string where, string text)
    {
        Messages++;
        Scan(where, text);
    }

    public void ScanLogFile(string path)
    {
        int number = 0;
        foreach (string line in File.ReadLines(path))
        {
            number++;
            LogLines++;
            Scan($"{path}:{number}", line);
        }
    }

    public string Summary =>
        $"{Secrets} secrets looked for in {Blobs} blobs, {Entities} table entities, {Messages} queue messages and {LogLines} log lines: {Hits.Count} hits";

    private void Scan(string where, string text)
    {
        foreach ((string name, string value) in _secrets)
        {
            if (text.Contains(value, StringComparison.Ordinal))
            {
                _hits.Add($"{where}: {name}");
            }
        }
    }
}
