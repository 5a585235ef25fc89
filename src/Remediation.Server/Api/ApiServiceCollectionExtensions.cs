using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Remediation.Server.Api.Bodies;

namespace Remediation.Server.Api;

/// <summary>Registers what the remediation API's endpoints need around the intake: keys, body limits and problem answers.</summary>
public static class ApiServiceCollectionExtensions
{
    public static IServiceCollection AddRemediationApi(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<ApiKeyOptions>().BindConfiguration(ApiKeyOptions.Section);
        services.AddSingleton<ApiKeys>();
        services.AddSingleton<ApiKeyEndpointFilter>();
        services.AddSingleton<ExposureGate>();
        services.AddProblemDetails();
        services.AddOptions<RequestBodyLimitOptions>().BindConfiguration(RequestBodyLimitOptions.Section)
            .Validate(limits => limits.ApiBytes > 0 && limits.AlertWebhookBytes > 0, $"{RequestBodyLimitOptions.Section}: every limit must be a positive number of bytes.")
            .ValidateOnStart();
        // No route may be sent more than the largest per-route limit, guarded or not.
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<RequestBodyLimitOptions>>(
            (kestrel, limits) => kestrel.Limits.MaxRequestBodySize = limits.Value.Largest);
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        return services;
    }
}
