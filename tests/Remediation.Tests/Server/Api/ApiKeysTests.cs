using Microsoft.Extensions.Options;
using Remediation.Server.Api;
using Xunit;

namespace Remediation.Tests.Server.Api;

[Trait("Category", "Unit")]
public sealed class ApiKeysTests : IDisposable
{
    private const string PortalKey = "0123456789abcdef0123456789abcdef-portal";
    private readonly string _file = Path.GetTempFileName();

    public void Dispose() => File.Delete(_file);

    [Fact]
    public void Authenticate_KnownKey_ReturnsItsName()
    {
        File.WriteAllLines(_file, ["# callers", "portal:" + PortalKey, "alertmanager:" + new string('k', 40)]);
        var keys = new ApiKeys(Options.Create(new ApiKeyOptions { KeysFile = _file }));

        Assert.True(keys.Required);
        Assert.Equal("portal", keys.Authenticate(PortalKey));
        Assert.Null(keys.Authenticate(PortalKey + "x"));
        Assert.Null(keys.Authenticate(""));
    }

    [Fact]
    public void Load_ShortKey_NamesTheLineButNotTheKey()
    {
        File.WriteAllLines(_file, ["portal:" + PortalKey, "weak:hunter2"]);

        var error = Assert.Throws<InvalidOperationException>(() => ApiKeys.Load(_file));

        Assert.Contains("line 2", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Required_NoFileConfigured_IsFalse()
    {
        Assert.False(new ApiKeys(Options.Create(new ApiKeyOptions())).Required);
    }

    [Theory]
    [InlineData("http://127.0.0.1:7071", false)]
    [InlineData("http://localhost:5000", false)]
    [InlineData("http://[::1]:8080", false)]
    [InlineData("https://127.0.0.1:7443", false)]
    [InlineData("http://0.0.0.0:7071", true)]
    [InlineData("http://[::]:7108", true)]
    [InlineData("https://[::]:7443", true)]
    [InlineData("http://*:80", true)]
    [InlineData("http://+:80", true)]
    [InlineData("http://10.0.0.5:7071", true)]
    [InlineData("http://ops-box.example:7071", true)]
    [InlineData("http://127.0.0.1:7071;http://0.0.0.0:8080", true)]
    public void Refusal_WithoutKeys_RefusesAnyBoundAddressBeyondLoopback(string bound, bool refused)
    {
        string? refusal = ApiExposure.Refusal(bound.Split(';'), keysRequired: false);

        Assert.Equal(refused, refusal is not null);
        if (refused)
        {
            Assert.Contains("Api:KeysFile", refusal!, StringComparison.Ordinal);
            Assert.Contains("127.0.0.1", refusal!, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', refusal!);
        }
    }

    [Fact]
    public void Refusal_WithKeys_AllowsEveryInterface()
    {
        Assert.Null(ApiExposure.Refusal(["http://[::]:7108", "http://0.0.0.0:7071"], keysRequired: true));
    }
}
