using Remediation;
using Remediation.Server;
using Remediation.Server.Api;

// Content root = the output folder, so appsettings.json (log levels) is found whatever the working directory.
WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

// Loopback by default; --urls, ASPNETCORE_URLS or Kestrel:Endpoints choose otherwise.
if (!ServerDefaults.HasConfiguredEndpoints(builder.Configuration))
{
    builder.WebHost.UseUrls(ServerDefaults.Urls);
}

builder.Logging.ClearProviders();
builder.Logging.AddSimpleConsole(console =>
{
    console.SingleLine = true;
    console.TimestampFormat = "HH:mm:ss.fff ";
});

builder.Services.AddRemediationServer();
// Core: the intake, the inventory and everything the activities depend on.
builder.Services.AddRemediationCore(builder.Configuration);

WebApplication app = builder.Build();

// No keys means loopback only, judged on the addresses actually bound; no request is answered before that.
app.UseExposureGate();
app.UseRemediationServer();
return await app.RunUnlessExposedAsync();

/// <summary>The self-hosted server's entry point (partial so tests can name the assembly).</summary>
public partial class Program;
