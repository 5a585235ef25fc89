using System.Text.RegularExpressions;
using Remediation.Ssh;

namespace Remediation.Inventory;

/// <summary>Checks an inventory before anything uses it: names, addresses, pins, files, probes and the dependency graph.</summary>
public static partial class InventoryValidator
{
    /// <summary>Returns one "path: problem" line per problem; empty when the inventory is valid.</summary>
    public static IReadOnlyList<string> Validate(InventoryDocument document)
    {
        var problems = new List<string>();
        if (document.Targets.Count == 0)
        {
            problems.Add("targets: at least one target is required");
        }

        var targetNames = new HashSet<string>(StringComparer.Ordinal);
        for (int t = 0; t < document.Targets.Count; t++)
        {
            TargetDefinition target = document.Targets[t];
            string at = $"targets[{t}]";
            CheckName(problems, $"{at}.name", target.Name);
            if (!targetNames.Add(target.Name))
            {
                problems.Add($"{at}.name: '{target.Name}' is used by another target");
            }

            ValidateTarget(problems, at, target);
        }

        return problems;
    }

    /// <summary>True when a value may name a target, service or procedure.</summary>
    public static bool IsValidName(string? value) => value is not null && NamePattern().IsMatch(value);

    private static void ValidateTarget(List<string> problems, string at, TargetDefinition target)
    {
        if (string.IsNullOrWhiteSpace(target.Address) || target.Address.Any(char.IsWhiteSpace))
        {
            problems.Add($"{at}.address: a host name or IP address is required");
        }

        if (target.SshPort is < 1 or > 65535)
        {
            problems.Add($"{at}.sshPort: {target.SshPort} is not a TCP port");
        }

        CheckName(problems, $"{at}.sshUser", target.SshUser);
        if (!HostKeyPattern().IsMatch(target.HostKey))
        {
            problems.Add($"{at}.hostKey: '{target.HostKey}' is not an OpenSSH SHA256 fingerprint (SHA256:<43 base64 characters>, as printed by ssh-keygen -lf)");
        }

        if (!HostKeyAlgorithmPattern().IsMatch(target.HostKeyAlgorithm))
        {
            problems.Add($"{at}.hostKeyAlgorithm: '{target.HostKeyAlgorithm}' is not a host key algorithm name such as ssh-ed25519");
        }

        if (string.IsNullOrWhiteSpace(target.PrivateKeyFile))
        {
            problems.Add($"{at}.privateKeyFile: the path of the SSH private key is required");
        }
        else if (!File.Exists(target.PrivateKeyFile))
        {
            problems.Add($"{at}.privateKeyFile: '{target.PrivateKeyFile}' does not exist");
        }

        if (target.Database is { } db)
        {
            if (string.IsNullOrWhiteSpace(db.Host) || string.IsNullOrWhiteSpace(db.Name) || string.IsNullOrWhiteSpace(db.User))
            {
                problems.Add($"{at}.database: host, name and user are required");
            }

            if (db.PasswordFile is { } passwordFile && !File.Exists(passwordFile))
            {
                problems.Add($"{at}.database.passwordFile: '{passwordFile}' does not exist");
            }
        }

        if (target.Services.Count == 0)
        {
            problems.Add($"{at}.services: at least one service is required");
        }

        var serviceNames = new HashSet<string>(StringComparer.Ordinal);
        for (int s = 0; s < target.Services.Count; s++)
        {
            ServiceDefinition service = target.Services[s];
            string sat = $"{at}.services[{s}]";
            CheckName(problems, $"{sat}.name", service.Name);
            if (!serviceNames.Add(service.Name))
            {
                problems.Add($"{sat}.name: '{service.Name}' is used by another service of this target");
            }

            ValidateService(problems, sat, target, service);
        }

        foreach (string cycle in DependencyGraph.FindCycles(target))
        {
            problems.Add($"{at}.services: dependsOn forms a cycle: {cycle}");
        }
    }

    private static void ValidateService(List<string> problems, string at, TargetDefinition target, ServiceDefinition service)
    {
        if (!IsValidName(service.UnitName) || !RemoteCommand.IsSafeArgument(service.UnitName))
        {
            problems.Add($"{at}.unit: '{service.UnitName}' is not a unit or program name (letters, digits and . _ @ - only)");
        }

        for (int d = 0; d < service.DependsOn.Count; d++)
        {
            string dependency = service.DependsOn[d];
            if (target.FindService(dependency) is null)
            {
                problems.Add($"{at}.dependsOn[{d}]: '{dependency}' is not a service of target '{target.Name}'");
            }
        }

        if (service.Readiness is { } probe)
        {
            int kinds = (probe.Http is null ? 0 : 1) + (probe.Tcp is null ? 0 : 1) + (probe.Sql ? 1 : 0);
            if (kinds != 1)
            {
                problems.Add($"{at}.readiness: give exactly one of http, tcp or sql");
            }

            if (probe.Http is { } url && (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)))
            {
                problems.Add($"{at}.readiness.http: '{url}' is not an absolute http(s) URL");
            }

            if (probe.Tcp is { } tcp && !TcpEndpoint.TryParse(tcp, out _))
            {
                problems.Add($"{at}.readiness.tcp: '{tcp}' is not host:port");
            }

            if (probe.Sql && target.Database is null)
            {
                problems.Add($"{at}.readiness.sql: the target has no database section to connect to");
            }

            if (probe.TimeoutMs is < 50 or > 60_000)
            {
                problems.Add($"{at}.readiness.timeoutMs: {probe.TimeoutMs} is outside 50..60000");
            }
        }

        CheckFiles(problems, $"{at}.logFiles", service.LogFiles);
        CheckFiles(problems, $"{at}.configFiles", service.ConfigFiles);

        if ((service.ProcessPattern is null) != (service.ProcessUser is null))
        {
            problems.Add($"{at}: processPattern and processUser go together (leftover processes are only searched among the service user's processes)");
        }

        if (service.ProcessPattern is { } pattern && !RemoteCommand.IsSafeArgument(pattern))
        {
            problems.Add($"{at}.processPattern: '{pattern}' may contain only letters, digits and . _ - + / : @ =");
        }

        if (service.ProcessUser is { } user && !IsValidName(user))
        {
            problems.Add($"{at}.processUser: '{user}' is not a user name");
        }

        if (service.LoginCheck is { } loginCheck)
        {
            ValidateLoginCheck(problems, $"{at}.loginCheck", service, loginCheck);
        }

        if (service.GracefulTimeoutSeconds is < 1 or > 600)
        {
            problems.Add($"{at}.gracefulTimeoutSeconds: {service.GracefulTimeoutSeconds} is outside 1..600");
        }

        if (service.ReadinessTimeoutSeconds is < 1 or > 600)
        {
            problems.Add($"{at}.readinessTimeoutSeconds: {service.ReadinessTimeoutSeconds} is outside 1..600");
        }
    }

    private static void ValidateLoginCheck(List<string> problems, string at, ServiceDefinition service, LoginCheckDefinition loginCheck)
    {
        if (service.Kind != ServiceKind.Odoo)
        {
            problems.Add($"{at}: only a service of kind odoo has a login check");
        }

        CheckName(problems, $"{at}.login", loginCheck.Login);
        if (string.IsNullOrEmpty(loginCheck.PasswordFile) || !loginCheck.PasswordFile.StartsWith('/') || !RemoteCommand.IsSafeArgument(loginCheck.PasswordFile))
        {
            problems.Add($"{at}.passwordFile: '{loginCheck.PasswordFile}' is not an absolute path of plain characters");
        }

        if (loginCheck.Database is { } database && !IsValidName(database))
        {
            problems.Add($"{at}.database: '{database}' is not a database name (letters, digits and . _ @ - only)");
        }
    }

    private static void CheckFiles(List<string> problems, string at, IReadOnlyList<string> files)
    {
        for (int i = 0; i < files.Count; i++)
        {
            if (!files[i].StartsWith('/') || !RemoteCommand.IsSafeArgument(files[i]))
            {
                problems.Add($"{at}[{i}]: '{files[i]}' is not an absolute path of plain characters");
            }
        }
    }

    private static void CheckName(List<string> problems, string at, string? value)
    {
        if (!IsValidName(value))
        {
            problems.Add($"{at}: '{value}' is not a valid name (1-64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit)");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^SHA256:[A-Za-z0-9+/]{43}=?$")]
    private static partial Regex HostKeyPattern();

    [GeneratedRegex("^[a-z0-9@.-]{3,64}$")]
    private static partial Regex HostKeyAlgorithmPattern();
}
