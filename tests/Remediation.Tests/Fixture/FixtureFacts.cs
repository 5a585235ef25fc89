namespace Remediation.Tests.Fixture;

/// <summary>
/// The target host's facts, as tests/fixture/up.sh writes them to
/// <c>/var/lib/remediation-fixture/fixture.env</c> (KEY=VALUE lines, no quotes).
/// </summary>
public sealed record FixtureFacts
{
    public required string SshHost { get; init; }
    public required int SshPort { get; init; }
    public required string SshUser { get; init; }

    /// <summary>Pinned host key fingerprint, <c>SHA256:base64</c> without padding (OpenSSH form).</summary>
    public required string HostKey { get; init; }

    public required string HostKeyAlgorithm { get; init; }

    /// <summary>Private key of <see cref="SshUser"/> (OpenSSH ed25519, root-readable).</summary>
    public required string ClientKeyFile { get; init; }

    /// <summary>known_hosts with the fixture's host key, for <c>ssh -o UserKnownHostsFile=</c>.</summary>
    public required string KnownHostsFile { get; init; }

    public required string PgHost { get; init; }
    public required int PgPort { get; init; }
    public required string PgDatabase { get; init; }

    /// <summary>
    /// The product's monitoring role: pg_monitor, SELECT on res_users_log, bus_presence, ir_cron, ir_cron_trigger,
    /// ir_act_server, and on res_users(id, login) only.
    /// </summary>
    public required string PgUser { get; init; }

    public required string PgPasswordFile { get; init; }

    /// <summary>The role Odoo connects as; owns odoo_production and its tables.</summary>
    public required string OdooDbUser { get; init; }

    public required string OdooDbPasswordFile { get; init; }
    public required Uri OdooUrl { get; init; }

    /// <summary>The Odoo version odoo_production's tables and the stand-in follow (FIXTURE_ODOO_VERSION, default 17.0).</summary>
    public required string OdooVersion { get; init; }

    /// <summary>The login-check account (res_users.login) the product signs in with; not an active user.</summary>
    public required string OdooCheckLogin { get; init; }

    /// <summary>Its password (0600 root).</summary>
    public required string OdooCheckPasswordFile { get; init; }
    public required Uri NginxUrl { get; init; }
    public required string KnobsDirectory { get; init; }
    public required string OdooLog { get; init; }
    public required string PgLog { get; init; }
    public required string NginxErrorLog { get; init; }
    public required string SupervisorLog { get; init; }

    /// <summary>Azure Storage connection string (Azurite): <c>UseDevelopmentStorage=true</c>.</summary>
    public required string StorageConnectionString { get; init; }

    /// <summary>The product's inventory for this target (target name "demo").</summary>
    public required string InventoryFile { get; init; }

    public required string StateDirectory { get; init; }

    /// <summary>The demo-systemd target (systemd as PID 1 of a container of its own): its inventory name.</summary>
    public required string SystemdTarget { get; init; }

    public required int SystemdSshPort { get; init; }

    /// <summary>Its sshd's host key fingerprint (a key of its own, not the supervisor target's).</summary>
    public required string SystemdHostKey { get; init; }

    public required string SystemdKnownHostsFile { get; init; }
    public required int SystemdPgPort { get; init; }
    public required Uri SystemdOdooUrl { get; init; }
    public required Uri SystemdNginxUrl { get; init; }

    /// <summary>The host directory bound read-only onto the container's knobs directory.</summary>
    public required string SystemdKnobsDirectory { get; init; }

    /// <summary>The container's PID 1 (systemd) as the host sees it: <c>nsenter -t</c> enters it.</summary>
    public required int SystemdLeaderPid { get; init; }

    /// <summary>The container's root as the host sees it (<c>/proc/PID/root</c>), for reading its files.</summary>
    public required string SystemdRoot { get; init; }

    public string ReadPgPassword() => File.ReadAllText(PgPasswordFile).Trim();

    public string ReadOdooDbPassword() => File.ReadAllText(OdooDbPasswordFile).Trim();

    public string ReadOdooCheckPassword() => File.ReadAllText(OdooCheckPasswordFile).Trim();

    public static FixtureFacts Load(string path) => Parse(File.ReadAllLines(path), path);

    public static FixtureFacts Parse(IEnumerable<string> lines, string source)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string raw in lines)
        {
            string line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            int equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new FormatException($"{source}: '{line}' is not KEY=VALUE");
            }

            values[line[..equals]] = line[(equals + 1)..];
        }

        string Get(string key) => values.TryGetValue(key, out string? value) && value.Length > 0
            ? value
            : throw new FormatException($"{source}: {key} is missing");
        int GetInt(string key) => int.TryParse(Get(key), out int value)
            ? value
            : throw new FormatException($"{source}: {key}={Get(key)} is not a number");
        Uri GetUri(string key) => Uri.TryCreate(Get(key), UriKind.Absolute, out Uri? value)
            ? value
            : throw new FormatException($"{source}: {key}={Get(key)} is not an absolute URL");

        return new FixtureFacts
        {
            StateDirectory = Get("FIXTURE_STATE_DIR"),
            SshHost = Get("FIXTURE_SSH_HOST"),
            SshPort = GetInt("FIXTURE_SSH_PORT"),
            SshUser = Get("FIXTURE_SSH_USER"),
            HostKey = Get("FIXTURE_HOST_KEY"),
            HostKeyAlgorithm = Get("FIXTURE_HOST_KEY_ALGORITHM"),
            ClientKeyFile = Get("FIXTURE_CLIENT_KEY"),
            KnownHostsFile = Get("FIXTURE_KNOWN_HOSTS"),
            PgHost = Get("FIXTURE_PG_HOST"),
            PgPort = GetInt("FIXTURE_PG_PORT"),
            PgDatabase = Get("FIXTURE_PG_DATABASE"),
            PgUser = Get("FIXTURE_PG_USER"),
            PgPasswordFile = Get("FIXTURE_PG_PASSWORD_FILE"),
            OdooDbUser = Get("FIXTURE_ODOO_DB_USER"),
            OdooDbPasswordFile = Get("FIXTURE_ODOO_DB_PASSWORD_FILE"),
            OdooVersion = Get("FIXTURE_ODOO_VERSION"),
            OdooCheckLogin = Get("FIXTURE_ODOO_CHECK_LOGIN"),
            OdooCheckPasswordFile = Get("FIXTURE_ODOO_CHECK_PASSWORD_FILE"),
            OdooUrl = GetUri("FIXTURE_ODOO_URL"),
            NginxUrl = GetUri("FIXTURE_NGINX_URL"),
            KnobsDirectory = Get("FIXTURE_KNOBS_DIR"),
            OdooLog = Get("FIXTURE_ODOO_LOG"),
            PgLog = Get("FIXTURE_PG_LOG"),
            NginxErrorLog = Get("FIXTURE_NGINX_ERROR_LOG"),
            SupervisorLog = Get("FIXTURE_SUPERVISOR_LOG"),
            StorageConnectionString = Get("FIXTURE_STORAGE"),
            InventoryFile = Get("FIXTURE_INVENTORY"),
            SystemdTarget = Get("FIXTURE_SYSTEMD_TARGET"),
            SystemdSshPort = GetInt("FIXTURE_SYSTEMD_SSH_PORT"),
            SystemdHostKey = Get("FIXTURE_SYSTEMD_HOST_KEY"),
            SystemdKnownHostsFile = Get("FIXTURE_SYSTEMD_KNOWN_HOSTS"),
            SystemdPgPort = GetInt("FIXTURE_SYSTEMD_PG_PORT"),
            SystemdOdooUrl = GetUri("FIXTURE_SYSTEMD_ODOO_URL"),
            SystemdNginxUrl = GetUri("FIXTURE_SYSTEMD_NGINX_URL"),
            SystemdKnobsDirectory = Get("FIXTURE_SYSTEMD_KNOBS_DIR"),
            SystemdLeaderPid = GetInt("FIXTURE_SYSTEMD_LEADER_PID"),
            SystemdRoot = Get("FIXTURE_SYSTEMD_ROOT"),
        };
    }
}
