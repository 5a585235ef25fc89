namespace Remediation.Bench;

/// <summary>What the target-host fixture's <c>fixture.env</c> says about the target: SSH endpoint, pinned host key, URLs, knobs and logs.</summary>
public sealed record FixtureFacts
{
    public required string SshHost { get; init; }
    public required int SshPort { get; init; }
    public required string SshUser { get; init; }

    /// <summary>Pinned host key fingerprint as <c>ssh-keygen -l</c> prints it: <c>SHA256:base64</c>, no padding.</summary>
    public required string HostKey { get; init; }

    public required string HostKeyAlgorithm { get; init; }
    public required string ClientKeyFile { get; init; }
    public required Uri OdooHealth { get; init; }

    /// <summary>The same health URL through nginx: what a user's browser reaches.</summary>
    public required Uri NginxHealth { get; init; }

    /// <summary>Npgsql connection string of the fixture's monitoring role (password read from its file), as the fixture's own readiness check uses.</summary>
    public required string PostgresConnectionString { get; init; }

    public required string KnobsDirectory { get; init; }
    public required string SupervisorLog { get; init; }

    /// <summary>The demo-systemd target, when the fixture has one.</summary>
    public SystemdFacts? Systemd { get; init; }

    public static FixtureFacts Load(string file)
    {
        if (!File.Exists(file))
        {
            throw new BenchException($"{file} does not exist: bring the fixture up first (bash tests/fixture/up.sh, as root)");
        }

        Dictionary<string, string> values = File.ReadAllLines(file)
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#') && line.Contains('=', StringComparison.Ordinal))
            .Select(line => line.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);

        string Get(string key) => values.TryGetValue(key, out string? value) && value.Length > 0
            ? value
            : throw new BenchException($"{file} has no {key}");

        return new FixtureFacts
        {
            SshHost = Get("FIXTURE_SSH_HOST"),
            SshPort = int.Parse(Get("FIXTURE_SSH_PORT"), System.Globalization.CultureInfo.InvariantCulture),
            SshUser = Get("FIXTURE_SSH_USER"),
            HostKey = Get("FIXTURE_HOST_KEY"),
            HostKeyAlgorithm = Get("FIXTURE_HOST_KEY_ALGORITHM"),
            ClientKeyFile = Get("FIXTURE_CLIENT_KEY"),
            OdooHealth = new Uri(new Uri(Get("FIXTURE_ODOO_URL")), "/web/health"),
            NginxHealth = new Uri(new Uri(Get("FIXTURE_NGINX_URL")), "/web/health"),
            PostgresConnectionString =
                $"Host={Get("FIXTURE_PG_HOST")};Port={Get("FIXTURE_PG_PORT")};Database={Get("FIXTURE_PG_DATABASE")};Username={Get("FIXTURE_PG_USER")};" +
                $"Password={File.ReadAllText(Get("FIXTURE_PG_PASSWORD_FILE")).Trim()};Pooling=false;Timeout=2;Command Timeout=2",
            KnobsDirectory = Get("FIXTURE_KNOBS_DIR"),
            SupervisorLog = Get("FIXTURE_SUPERVISOR_LOG"),
            Systemd = SystemdFacts.From(values),
        };
    }
}
