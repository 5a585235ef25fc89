using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Remediation.Server.Api;
using Xunit;

namespace Remediation.Tests.Server;

/// <summary>The Functions app serves the server's API: every <c>/api</c> route and method the server maps has an HTTP function with the same route, and no more.</summary>
/// <remarks>Reads functions.metadata (what the Functions host indexes), as <see cref="FunctionsRegistrationTests"/> does; the server's routes come from its own endpoint table.</remarks>
[Trait("Category", "Unit")]
public sealed class FunctionsRoutesTests
{
    [Fact]
    public async Task FunctionsApp_ServesEveryServerApiRoute_WithTheSameMethod()
    {
        IReadOnlySet<string> server = await ServerRoutesAsync();
        IReadOnlySet<string> functions = FunctionsRoutes();

        Assert.NotEmpty(server);
        string[] missing = [.. server.Except(functions).Order(StringComparer.Ordinal)];
        string[] extra = [.. functions.Except(server).Order(StringComparer.Ordinal)];
        Assert.True(missing.Length == 0, $"The Functions app does not serve {string.Join(", ", missing)}: add an [HttpTrigger] with that route under src/Remediation.Functions/Http/.");
        Assert.True(extra.Length == 0, $"The Functions app serves {string.Join(", ", extra)}, which the server does not.");
    }

    private static async Task<IReadOnlySet<string>> ServerRoutesAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddRemediationApi();
        await using WebApplication app = builder.Build();
        app.MapRemediationApi();
        app.MapAlertWebhooks();
        var routes = new HashSet<string>(StringComparer.Ordinal);
        foreach (RouteEndpoint endpoint in ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>())
        {
            string path = Normalize(endpoint.RoutePattern.RawText ?? "");
            foreach (string method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [])
            {
                routes.Add($"{method.ToUpperInvariant()} {path}");
            }
        }

        return routes;
    }

    private static HashSet<string> FunctionsRoutes()
    {
        using JsonDocument metadata = JsonDocument.Parse(File.ReadAllText(FunctionsRegistrationTests.FunctionsMetadataPath()));
        var routes = new HashSet<string>(StringComparer.Ordinal);
        foreach (JsonElement binding in metadata.RootElement.EnumerateArray().SelectMany(f => f.GetProperty("bindings").EnumerateArray()))
        {
            if (binding.GetProperty("type").GetString() != "httpTrigger")
            {
                continue;
            }

            // The Functions host puts every HTTP route under its default prefix "api".
            string path = Normalize("api/" + binding.GetProperty("route").GetString());
            foreach (JsonElement method in binding.GetProperty("methods").EnumerateArray())
            {
                routes.Add($"{method.GetString()!.ToUpperInvariant()} {path}");
            }
        }

        return routes;
    }

    private static string Normalize(string route) => "/" + route.Trim('/').Replace("//", "/", StringComparison.Ordinal);
}
