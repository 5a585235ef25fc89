using System.Text;
using Microsoft.Extensions.Options;
using Remediation.Intake.Alerts;
using Xunit;

namespace Remediation.Tests.Intake.Alerts;

/// <summary>Webhook credentials: bearer or basic for Alertmanager/Grafana, a secret for Azure Monitor, nothing configured refuses all.</summary>
[Trait("Category", "Unit")]
public sealed class AlertWebhookAuthenticatorTests
{
    private static AlertWebhookAuthenticator Authenticator()
    {
        var options = new AlertOptions();
        options.Webhooks[AlertSource.Alertmanager] = new AlertWebhookCredentials { BearerToken = "am-token-0123456789abcdef0123456789", Username = "am", Password = "pw-0123456789" };
        options.Webhooks[AlertSource.AzureMonitor] = new AlertWebhookCredentials { Secret = "azure-secret-0123456789abcdef0123" };
        return new AlertWebhookAuthenticator(Options.Create(options));
    }

    [Theory]
    [InlineData("Bearer am-token-0123456789abcdef0123456789", true)]
    [InlineData("Bearer wrong", false)]
    [InlineData(null, false)]
    [InlineData("Basic YW06cHctMDEyMzQ1Njc4OQ==", true)]
    [InlineData("Basic YW06d3Jvbmc=", false)]
    [InlineData("Basic !!!", false)]
    public void Refusal_Alertmanager_AcceptsOnlyItsBearerTokenOrBasicAuth(string? authorization, bool accepted)
    {
        Assert.Equal("am:pw-0123456789", Encoding.UTF8.GetString(Convert.FromBase64String("YW06cHctMDEyMzQ1Njc4OQ==")));
        Assert.Equal(accepted, Authenticator().Refusal(AlertSource.Alertmanager, authorization, null, null) is null);
    }

    [Fact]
    public void Refusal_AzureMonitor_TakesTheSecretFromQueryOrHeaderOnly()
    {
        AlertWebhookAuthenticator authenticator = Authenticator();
        Assert.Null(authenticator.Refusal(AlertSource.AzureMonitor, null, null, "azure-secret-0123456789abcdef0123"));
        Assert.Null(authenticator.Refusal(AlertSource.AzureMonitor, null, "azure-secret-0123456789abcdef0123", null));
        Assert.NotNull(authenticator.Refusal(AlertSource.AzureMonitor, "Bearer azure-secret-0123456789abcdef0123", null, null));
        Assert.NotNull(authenticator.Refusal(AlertSource.AzureMonitor, null, null, "nope"));
    }

    [Fact]
    public void Refusal_SourceWithoutCredentials_RefusesEveryCall()
    {
        string? refusal = Authenticator().Refusal(AlertSource.Grafana, "Bearer anything", null, null);
        Assert.Contains("No credentials are configured for grafana", refusal, StringComparison.Ordinal);
    }
}
