using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Remediation.Server.Api;

/// <summary>Runs the server only if what it actually bound is safe for its keys; otherwise one line on stderr and exit code 1.</summary>
public static class ExposureGuard
{
    /// <summary>First in the pipeline: nothing is answered before <see cref="RunUnlessExposedAsync"/> has judged the bound addresses.</summary>
    public static WebApplication UseExposureGate(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseMiddleware<ExposureGateMiddleware>();
        return app;
    }

    /// <summary>
    /// Starts the server, judges the addresses Kestrel bound (however they were chosen: urls, ports, Kestrel:Endpoints,
    /// DOTNET_/ASPNETCORE_ variables, the command line) and serves until shutdown (0), or refuses and stops (1).
    /// </summary>
    public static async Task<int> RunUnlessExposedAsync(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // Loading the keys checks the file, before anything listens.
        bool keysRequired = app.Services.GetRequiredService<ApiKeys>().Required
            || app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ApiJwtOptions>>().Value.Enabled;
        await app.StartAsync();

        ICollection<string> bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses
            ?? throw new InvalidOperationException("The server does not report the addresses it bound, so their exposure cannot be judged.");
        string? refusal = ApiExposure.Refusal(bound, keysRequired);
        if (refusal is not null)
        {
            await Console.Error.WriteLineAsync(refusal);
            await app.StopAsync();
            return 1;
        }

        app.Services.GetRequiredService<ExposureGate>().Open();
        await app.WaitForShutdownAsync();
        return 0;
    }
}
