namespace Remediation.Server.Api.Bodies;

/// <summary>Which body limit of <see cref="RequestBodyLimitOptions"/> a route takes.</summary>
public enum RequestBodyKind
{
    /// <summary>The remediation API's own requests.</summary>
    Api,

    /// <summary>Monitoring alerts posted by Azure Monitor or Alertmanager.</summary>
    AlertWebhook,
}
