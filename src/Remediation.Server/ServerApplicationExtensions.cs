using Remediation.Server.Api;

namespace Remediation.Server;

/// <summary>The server's request pipeline: problem details for every error, the remediation API and the health check.</summary>
public static class ServerApplicationExtensions
{
    public const string HealthPath = "/healthz";

    public static WebApplication UseRemediationServer(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapRemediationApi();
        app.MapAlertWebhooks();
        app.MapHealthChecks(HealthPath, new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions { ResponseWriter = HealthResponse.WriteAsync });
        return app;
    }
}
