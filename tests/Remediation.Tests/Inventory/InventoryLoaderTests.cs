using Remediation.Inventory;
using Xunit;

namespace Remediation.Tests.Inventory;

[Trait("Category", "Unit")]
public sealed class InventoryLoaderTests : IDisposable
{
    private readonly string _keyFile = Path.GetTempFileName();

    public void Dispose() => File.Delete(_keyFile);

    [Fact]
    public void Parse_ValidInventory_ReturnsTargetsWithDefaults()
    {
        Remediation.Inventory.Inventory inventory = InventoryLoader.Parse(Json(), "test.json");

        TargetDefinition target = Assert.Single(inventory.Targets);
        Assert.Equal(ServiceManagerKind.Supervisor, target.ServiceManager);
        ServiceDefinition odoo = target.GetService("odoo");
        Assert.Equal(ServiceKind.Odoo, odoo.Kind);
        Assert.Equal("odoo", odoo.UnitName);
        Assert.Equal(new Uri("http://127.0.0.1:8069/web/health"), odoo.Readiness!.Http);
        Assert.Equal(30, odoo.GracefulTimeoutSeconds);
    }

    [Fact]
    public void Parse_UnknownField_NamesTheFieldAndLine()
    {
        string json = Json().Replace("\"sshUser\"", "\"sshUsr\"", StringComparison.Ordinal);

        var error = Assert.Throws<InventoryException>(() => InventoryLoader.Parse(json, "inv.json"));

        Assert.Contains("inv.json", error.Message, StringComparison.Ordinal);
        Assert.Contains("sshUsr", error.Message, StringComparison.Ordinal);
        Assert.Contains("line", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ShellCharactersInUnit_IsRejectedWithFieldPath()
    {
        string json = Json().Replace("\"unit\": \"odoo\"", "\"unit\": \"odoo;reboot\"", StringComparison.Ordinal);

        var error = Assert.Throws<InventoryException>(() => InventoryLoader.Parse(json, "inv.json"));

        Assert.Contains("targets[0].services[1].unit: 'odoo;reboot'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BadHostKeyUnknownDependencyAndCycle_ReportsEveryProblem()
    {
        string json = Json()
            .Replace("SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "MD5:12:34", StringComparison.Ordinal)
            .Replace("\"dependsOn\": [\"odoo\"]", "\"dependsOn\": [\"odoo\", \"redis\"]", StringComparison.Ordinal)
            .Replace("\"dependsOn\": [\"postgresql\"]", "\"dependsOn\": [\"postgresql\", \"nginx\"]", StringComparison.Ordinal);

        var error = Assert.Throws<InventoryException>(() => InventoryLoader.Parse(json, "inv.json"));

        Assert.Contains(error.Problems, p => p.StartsWith("targets[0].hostKey:", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.Contains("'redis' is not a service of target 'demo'", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.Contains("cycle", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_ReadinessWithTwoKinds_IsRejected()
    {
        string json = Json().Replace("\"readiness\": { \"sql\": true }", "\"readiness\": { \"sql\": true, \"tcp\": \"127.0.0.1:5432\" }", StringComparison.Ordinal);

        var error = Assert.Throws<InventoryException>(() => InventoryLoader.Parse(json, "inv.json"));

        Assert.Contains(error.Problems, p => p == "targets[0].services[0].readiness: give exactly one of http, tcp or sql");
    }

    [Fact]
    public void Parse_OdooLoginCheck_ReadWithDatabaseDefaultingToNull()
    {
        string json = Json().Replace("\"processPattern\": \"odoo-bin\" }", "\"processPattern\": \"odoo-bin\", \"loginCheck\": { \"login\": \"remediation-check\", \"passwordFile\": \"/etc/remediation/odoo-check\" } }", StringComparison.Ordinal);

        LoginCheckDefinition check = InventoryLoader.Parse(json, "inv.json").Targets.Single().GetService("odoo").LoginCheck!;

        Assert.Equal(new LoginCheckDefinition { Login = "remediation-check", PasswordFile = "/etc/remediation/odoo-check" }, check);
    }

    [Fact]
    public void Parse_LoginCheckWithUnsafeLoginRelativeFileOrOnNginx_ReportsEachProblem()
    {
        string json = Json()
            .Replace("\"processPattern\": \"odoo-bin\" }", "\"processPattern\": \"odoo-bin\", \"loginCheck\": { \"login\": \"x' OR 1=1\", \"passwordFile\": \"secrets/check\", \"database\": \"a b\" } }", StringComparison.Ordinal)
            .Replace("\"tcp\": \"127.0.0.1:8080\" } }", "\"tcp\": \"127.0.0.1:8080\" }, \"loginCheck\": { \"login\": \"check\", \"passwordFile\": \"/etc/check\" } }", StringComparison.Ordinal);

        var error = Assert.Throws<InventoryException>(() => InventoryLoader.Parse(json, "inv.json"));

        Assert.Contains(error.Problems, p => p.StartsWith("targets[0].services[1].loginCheck.login: 'x' OR 1=1'", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.StartsWith("targets[0].services[1].loginCheck.passwordFile: 'secrets/check'", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.StartsWith("targets[0].services[1].loginCheck.database: 'a b'", StringComparison.Ordinal));
        Assert.Contains("targets[0].services[2].loginCheck: only a service of kind odoo has a login check", error.Problems);
    }

    [Fact]
    public void Load_MissingFile_SaysWhichFile()
    {
        var error = Assert.Throws<InventoryException>(() => InventoryLoader.Load("/nonexistent/inventory.json"));

        Assert.Contains("/nonexistent/inventory.json: file not found", error.Message, StringComparison.Ordinal);
    }

    private string Json() => $$"""
        {
          "targets": [
            {
              "name": "demo",
              "address": "127.0.0.1",
              "sshPort": 2222,
              "sshUser": "ops",
              "hostKey": "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
              "privateKeyFile": "{{_keyFile}}",
              "serviceManager": "supervisor",
              "database": { "host": "127.0.0.1", "port": 5432, "name": "odoo_production", "user": "remediation" },
              "services": [
                { "name": "postgresql", "kind": "postgresql", "readiness": { "sql": true } },
                { "name": "odoo", "kind": "odoo", "unit": "odoo", "dependsOn": ["postgresql"], "readiness": { "http": "http://127.0.0.1:8069/web/health" }, "processUser": "odoo", "processPattern": "odoo-bin" },
                { "name": "nginx", "kind": "nginx", "dependsOn": ["odoo"], "readiness": { "tcp": "127.0.0.1:8080" } }
              ]
            }
          ]
        }
        """;
}
