using Remediation.Inventory;
using Xunit;

namespace Remediation.Tests.Inventory;

[Trait("Category", "Unit")]
public sealed class DependencyGraphTests
{
    private static readonly TargetDefinition Stack = new()
    {
        Name = "demo",
        Services =
        [
            new ServiceDefinition { Name = "nginx", DependsOn = ["odoo"] },
            new ServiceDefinition { Name = "odoo", DependsOn = ["postgresql"] },
            new ServiceDefinition { Name = "postgresql" },
            new ServiceDefinition { Name = "exporter" },
        ],
    };

    [Fact]
    public void StartOrder_RunbookStack_PostgresqlThenOdooThenNginx()
    {
        Assert.Equal(["postgresql", "odoo", "nginx", "exporter"], DependencyGraph.StartOrder(Stack).Select(s => s.Name));
    }

    [Fact]
    public void StopOrder_RunbookStack_IsReverseOfStart()
    {
        Assert.Equal(["exporter", "nginx", "odoo", "postgresql"], DependencyGraph.StopOrder(Stack).Select(s => s.Name));
    }

    [Fact]
    public void DependentsOf_Postgresql_IsOdooAndNginxInStartOrder()
    {
        Assert.Equal(["odoo", "nginx"], DependencyGraph.DependentsOf(Stack, "postgresql").Select(s => s.Name));
    }

    [Fact]
    public void FindCycles_MutualDependency_ReportsThePath()
    {
        var cyclic = Stack with
        {
            Services = [new ServiceDefinition { Name = "a", DependsOn = ["b"] }, new ServiceDefinition { Name = "b", DependsOn = ["a"] }],
        };

        Assert.Contains("a -> b -> a", DependencyGraph.FindCycles(cyclic));
    }
}
