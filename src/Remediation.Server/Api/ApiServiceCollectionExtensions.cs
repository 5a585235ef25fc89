using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.IdentityModel.Tokens;
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
        services.AddOptions<ApiJwtOptions>().BindConfiguration(ApiJwtOptions.Section)
            .Validate(o => !o.Enabled || string.IsNullOrWhiteSpace(o.SigningKeysFile) || !string.IsNullOrWhiteSpace(o.Issuer) || !string.IsNullOrWhiteSpace(o.Authority) || !string.IsNullOrWhiteSpace(o.MetadataAddress),
                $"{ApiJwtOptions.Section}: with SigningKeysFile and no Authority, set Issuer (the tokens' iss).")
            .ValidateOnStart();
        services.AddAuthentication().AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<IOptions<ApiJwtOptions>>((bearer, options) => ConfigureBearer(bearer, options.Value));
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

    /// <summary>Issuer, audience, lifetime and signature are all checked; claims keep their JWT names (sub, roles, scp).</summary>
    private static void ConfigureBearer(JwtBearerOptions bearer, ApiJwtOptions jwt)
    {
        bearer.MapInboundClaims = false;
        bearer.RequireHttpsMetadata = jwt.RequireHttpsMetadata;
        if (!string.IsNullOrWhiteSpace(jwt.Authority))
        {
            bearer.Authority = jwt.Authority;
        }

        if (!string.IsNullOrWhiteSpace(jwt.MetadataAddress))
        {
            bearer.MetadataAddress = jwt.MetadataAddress;
        }

        bearer.TokenValidationParameters = new TokenValidationParameters
        {
            ValidateIssuer = true,
            ValidIssuer = string.IsNullOrWhiteSpace(jwt.Issuer) ? null : jwt.Issuer,
            ValidateAudience = true,
            ValidAudience = jwt.Audience,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            NameClaimType = jwt.NameClaim,
            IssuerSigningKeys = string.IsNullOrWhiteSpace(jwt.SigningKeysFile) ? null : new JsonWebKeySet(File.ReadAllText(jwt.SigningKeysFile)).GetSigningKeys(),
        };
    }
}
