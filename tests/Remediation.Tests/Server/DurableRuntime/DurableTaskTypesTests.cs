using Remediation.Server.DurableRuntime;
using Xunit;

namespace Remediation.Tests.Server.DurableRuntime;

[Trait("Category", "Unit")]
public sealed class DurableTaskTypesTests
{
    [Fact]
    public void Remediation_Default_IsTheProductList()
    {
        DurableTaskTypes types = DurableTaskTypes.Remediation;

        Assert.Equal(DurableTasks.Orchestrators, types.Orchestrators);
        Assert.Equal(DurableTasks.Activities, types.Activities);
    }

    [Fact]
    public void Constructor_TypeThatIsNotATask_ThrowsNamingIt()
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => new DurableTaskTypes([typeof(string)], []));

        Assert.Contains("System.String cannot be registered", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void With_DuplicateClassName_ThrowsNamingIt()
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => DurableTaskTypes.Remediation.With(activities: [typeof(GreetActivity), typeof(GreetActivity)]));

        Assert.Contains(nameof(GreetActivity), error.Message, StringComparison.Ordinal);
    }
}
