using Xunit;

namespace Remediation.Tests.Fixture;

/// <summary>
/// End-to-end tests against the real target host share one <see cref="TargetHostFixture"/> per test run
/// and run one after another (they restart the same services).
/// </summary>
[CollectionDefinition(Name)]
public sealed class TargetHostCollection : ICollectionFixture<TargetHostFixture>
{
    public const string Name = "target-host";
}
